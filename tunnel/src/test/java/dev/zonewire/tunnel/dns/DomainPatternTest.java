package dev.zonewire.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainPatternTest {

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource({
            "**.example.com, example.com",
            "app.**.example.com, app.bar.foo.example.com",
            "**.example.com, foo.example.com",
            "**.example.com, foo.bar.example.com",
            "*.example.com, foo.example.com",
            "*.example.com, example.com",
            "foo.*.example.com, foo.bar.example.com",
            "app.*.*.example.com, app.foo.bar.example.com",
            "app.f??.example.com, app.foo.example.com",
            "app.example.com, app.example.com",
            "*?*.example.com, app.example.com",
            "app.**.web.**.example.com, app.web.example.com",
            "?.httpbin, a.httpbin",
            "APP.Example.COM, app.example.com",
            "app.example.com, APP.EXAMPLE.COM",
            "[abc]pp.example.com, app.example.com",
            "[!x-z]pp.example.com, app.example.com",
            "**, anything.at.all"})
    void theSpecsMatchingExamplesMatch(String pattern, String name) {
        assertThat(DomainPattern.parse(pattern).matches(name)).isTrue();
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource({
            "app.*.example.com, app.foo.bar.example.com",
            "app.*com, app.foo.com",
            "app?com, app.com",
            "?.httpbin, ab.httpbin",
            "?.httpbin, httpbin",
            "foo.example.com, example.com",
            "[!a-c]pp.example.com, app.example.com",
            "example.**, example",
            "*.example.com, notexample.com"})
    void theSpecsNonMatchingExamplesDoNotMatch(String pattern, String name) {
        assertThat(DomainPattern.parse(pattern).matches(name)).isFalse();
    }

    @Test
    void patternsSortInTheSpecsOrderOfSpecificity() {
        List<String> patterns = List.of("**.example.com", "bar.example.com", "foo.example.com", "example.com", "*ample.com",
                "*.bar.example.com", "?.example.com", "*.com", "*.example.com");
        TreeSet<DomainPattern> sorted = new TreeSet<>();
        patterns.forEach(pattern -> sorted.add(DomainPattern.parse(pattern)));

        assertThat(sorted.stream().map(DomainPattern::text)).containsExactly("example.com", "bar.example.com", "*.bar.example.com",
                "foo.example.com", "?.example.com", "*.example.com", "**.example.com", "*ample.com", "*.com");
    }

    @Test
    void anExactNameBeatsADoubleStarWildcard() {
        DnsResourcePatterns table = new DnsResourcePatterns();
        UUID wildcard = UUID.randomUUID();
        UUID exact = UUID.randomUUID();
        table.add(wildcard, "**.example.com");
        table.add(exact, "foo.example.com");

        assertThat(table.match(List.of("foo", "example", "com"))).isEqualTo(exact);
        assertThat(table.match(List.of("bar", "example", "com"))).isEqualTo(wildcard);
    }

    @Test
    void aSingleCharacterWildcardBeatsAStarWhichBeatsADoubleStar() {
        DnsResourcePatterns table = new DnsResourcePatterns();
        UUID doubleStar = UUID.randomUUID();
        UUID star = UUID.randomUUID();
        UUID question = UUID.randomUUID();
        table.add(doubleStar, "**.example.com");
        table.add(star, "*.example.com");
        table.add(question, "?.example.com");

        assertThat(table.match(List.of("a", "example", "com"))).isEqualTo(question);
        assertThat(table.match(List.of("ab", "example", "com"))).isEqualTo(star);
        assertThat(table.match(List.of("a", "b", "example", "com"))).isEqualTo(doubleStar);
    }

    @Test
    void theLaterResourceWithTheSamePatternWins() {
        DnsResourcePatterns table = new DnsResourcePatterns();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        table.add(first, "app.example.com");
        table.add(second, "app.example.com");

        assertThat(table.match(List.of("app", "example", "com"))).isEqualTo(second);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void removingAResourceRemovesAllItsPatterns() {
        DnsResourcePatterns table = new DnsResourcePatterns();
        UUID resource = UUID.randomUUID();
        table.add(resource, "app.example.com");

        table.remove(resource);

        assertThat(table.match(List.of("app", "example", "com"))).isNull();
        assertThat(table.contains(resource)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "a..b", "a**.example.com", "***.example.com", "[abc.example.com"})
    void malformedPatternsAreRejected(String pattern) {
        assertThatThrownBy(() -> DomainPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new DnsResourcePatterns().add(UUID.randomUUID(), pattern)).isFalse();
    }

    @Test
    void aTrailingDotInThePatternIsIgnored() {
        assertThat(DomainPattern.parse("app.example.com.").matches("app.example.com")).isTrue();
    }
}
