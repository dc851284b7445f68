package io.github.cidrguard.scenario;

import io.github.cidrguard.kube.Scenario;
import io.github.cidrguard.kube.ScenarioException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The line an error names, in JSON (read from the parser's running line count) and in YAML (from the token's
 * location): the same for the same mistake, including the pinned odd case of a JSON key whose value starts on a later
 * line, where the line named is the value's.
 */
class ScenarioReaderLinesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // what                        | text (\n = new line)                                                          | line
        "unknown top-level key, JSON   | {\\n  \"nodes\": [],\\n  \"nodez\": []\\n}                                     | 3",
        "unknown top-level key, YAML   | nodes: []\\nnodez: []                                                         | 2",
        "bad node ip, JSON             | {\\n  \"nodes\": [\\n    {\\n      \"name\": \"n1\",\\n      \"ip\": \"10.0.0.300\"\\n    }\\n  ]\\n} | 5",
        "bad node ip, YAML             | nodes:\\n  - name: n1\\n    ip: 10.0.0.300                                     | 3",
        "duplicate key, JSON           | {\\n  \"nodes\": [],\\n  \"name\": \"a\",\\n  \"name\": \"b\"\\n}                 | 4",
        "unknown node key, JSON        | {\"nodes\": [\\n{\"name\": \"n1\", \"ip\": \"10.0.0.1\",\\n \"podCird\": \"10.1.0.0/24\"}]} | 3",
        // accepted but odd: in JSON a key is placed on its value's line (here the key is on line 2, its value on 3)
        "key and value apart, JSON     | {\"nodes\": [],\\n\"nodez\"\\n: []}                                            | 3",
        "key and value apart, YAML     | nodes: []\\n? nodez\\n: []                                                     | 2",
    })
    void errorsNameTheirLine(String what, String text, int line) {
        String scenario = text.replace("\\n", "\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.parse(scenario, "plan"), what);
        assertEquals(line, e.line(), what + ": " + e.getMessage());
    }
}
