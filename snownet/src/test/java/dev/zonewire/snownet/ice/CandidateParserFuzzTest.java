package dev.zonewire.snownet.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Fuzzes the parser of candidate strings a peer trickles: nothing throws, and what parses writes back to itself. */
class CandidateParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyCandidateString(String line) {
        CandidateParser.Result result = CandidateParser.parse(line);

        if (result instanceof CandidateParser.Parsed parsed) {
            assertThat(CandidateParser.parse(parsed.candidate().toSdp())).isEqualTo(result);
        } else {
            assertThat(result).isInstanceOf(CandidateParser.Rejected.class);
        }
    }
}
