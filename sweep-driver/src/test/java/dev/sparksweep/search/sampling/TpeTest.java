package dev.sparksweep.search.sampling;

import dev.sparksweep.search.params.Domain;
import dev.sparksweep.search.params.Params;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What TPE's densities are built from. */
class TpeTest {

    @Test
    void aPerFamilyDomainLearnsOnlyFromTrialsOfTheFamilyBeingProposed() {
        Domain rnn = new Domain.Values(List.of(64, 128));
        Domain lstm = new Domain.Values(List.of(128, 256));
        Domain declared = new Domain.Keyed("family", Map.of("rnn", rnn, "lstm", lstm));
        List<Map<String, Object>> trials = List.of(Map.of("family", "rnn", "hidden", 128),
                Map.of("family", "lstm", "hidden", 256), Map.of("family", "rnn", "hidden", 64));
        // Proposing an lstm: its 256 counts (at 0.75 of its two values); an rnn's 128 is not an lstm's 128.
        assertEquals(List.of(0.75), Tpe.positions(Params.HIDDEN, declared, lstm, trials, Map.of("family", "lstm")));
        assertEquals(List.of(0.75, 0.25), Tpe.positions(Params.HIDDEN, declared, rnn, trials, Map.of("family", "rnn")));
        // A domain that does not depend on another parameter learns from every trial.
        Domain plain = new Domain.Values(List.of(64, 128, 256));
        assertEquals(3, Tpe.positions(Params.HIDDEN, plain, plain, trials, Map.of("family", "lstm")).size());
    }
}
