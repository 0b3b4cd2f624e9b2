package dev.zonewire.tunnel.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address of a DNS resource: an exact name or a glob over labels (tunnel.md §3.3.2). {@code *}
 * matches any run of characters inside one label, {@code ?} exactly one character, {@code [abc]} and
 * {@code [!a-z]} one character of a class, and a label of just {@code **} any number of whole labels
 * (at least one when it is the last label). A pattern starting with {@code *.} also matches its bare
 * parent. Matching ignores ASCII case.
 *
 * <p>Patterns sort so that the first match in order is the most specific one ({@link #compareTo}).
 */
public final class DomainPattern implements Comparable<DomainPattern> {
    private static final String RECURSIVE = "**";

    private final String text;
    private final List<Label> labels;
    private final String bareParent;

    private DomainPattern(String text, List<Label> labels, String bareParent) {
        this.text = text;
        this.labels = labels;
        this.bareParent = bareParent;
    }

    /** Parses a pattern; a malformed one (empty label, {@code **} inside a label, unclosed class) is an {@link IllegalArgumentException}. */
    public static DomainPattern parse(String text) {
        String trimmed = text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
        if (trimmed.isEmpty() || trimmed.equals(".")) {
            throw new IllegalArgumentException("an empty DNS pattern");
        }
        List<Label> labels = new ArrayList<>();
        for (String label : trimmed.split("\\.", -1)) {
            labels.add(Label.parse(label));
        }
        String bareParent = trimmed.startsWith("*.") ? trimmed.substring(2).toLowerCase(Locale.ROOT) : null;
        return new DomainPattern(text, List.copyOf(labels), bareParent);
    }

    /** The pattern as the portal wrote it. */
    public String text() {
        return text;
    }

    /** True when {@code name} (labels without the root, e.g. {@code ["app","example","com"]}) matches. */
    public boolean matches(List<String> name) {
        if (bareParent != null && String.join(".", name).toLowerCase(Locale.ROOT).equals(bareParent)) {
            return true;
        }
        return matchesFrom(name);
    }

    public boolean matches(String dottedName) {
        String trimmed = dottedName.endsWith(".") ? dottedName.substring(0, dottedName.length() - 1) : dottedName;
        return !trimmed.isEmpty() && matches(List.of(trimmed.split("\\.", -1)));
    }

    /**
     * The reference's order: compare the pattern texts from their last character backwards; skip equal
     * characters; {@code ?} before {@code *}; a wildcard after end-of-text or {@code .}; a wildcard after
     * any other character; two ordinary characters by descending value; a text that runs out first sorts
     * first. So an exact name beats {@code ?}, which beats {@code *}, which beats {@code **}, under the same suffix.
     */
    @Override
    public int compareTo(DomainPattern other) {
        int i = text.length() - 1;
        int j = other.text.length() - 1;
        while (true) {
            int mine = i >= 0 ? text.charAt(i) : -1;
            int theirs = j >= 0 ? other.text.charAt(j) : -1;
            if (mine == -1 && theirs == -1) {
                return 0;
            }
            if (mine == theirs) {
                i--;
                j--;
                continue;
            }
            if (mine == '*' && theirs == '?') {
                return 1;
            }
            if (mine == '?' && theirs == '*') {
                return -1;
            }
            if (isWildcard(mine)) {
                return 1;
            }
            if (isWildcard(theirs)) {
                return -1;
            }
            if (mine == -1) {
                return -1;
            }
            if (theirs == -1) {
                return 1;
            }
            return Integer.compare(theirs, mine);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static boolean isWildcard(int character) {
        return character == '*' || character == '?';
    }

    /** Label-by-label matching where {@code **} spans zero or more labels (one or more at the end). */
    private boolean matchesFrom(List<String> name) {
        int patterns = labels.size();
        int names = name.size();
        // reachable[p][n]: the first p pattern labels can consume the first n name labels.
        boolean[][] reachable = new boolean[patterns + 1][names + 1];
        reachable[0][0] = true;
        for (int p = 0; p < patterns; p++) {
            Label label = labels.get(p);
            boolean last = p == patterns - 1;
            for (int n = 0; n <= names; n++) {
                if (!reachable[p][n]) {
                    continue;
                }
                if (label.recursive()) {
                    for (int end = last ? n + 1 : n; end <= names; end++) {
                        reachable[p + 1][end] = true;
                    }
                } else if (n < names && label.matches(name.get(n))) {
                    reachable[p + 1][n + 1] = true;
                }
            }
        }
        return reachable[patterns][names];
    }

    /** One pattern label as a sequence of single-character tokens and {@code *} runs. */
    private record Label(boolean recursive, List<Token> tokens) {

        static Label parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("a DNS pattern cannot have an empty label");
            }
            if (text.equals(RECURSIVE)) {
                return new Label(true, List.of());
            }
            if (text.contains(RECURSIVE)) {
                throw new IllegalArgumentException("'**' must be a whole label");
            }
            List<Token> tokens = new ArrayList<>();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '*' -> tokens.add(Token.STAR);
                    case '?' -> tokens.add(Token.ANY);
                    case '[' -> {
                        int close = classEnd(text, i);
                        tokens.add(Token.charClass(text.substring(i + 1, close)));
                        i = close;
                    }
                    default -> tokens.add(Token.literal(c));
                }
            }
            return new Label(false, List.copyOf(tokens));
        }

        /** Glob matching inside one label: single-character tokens advance together, a star backtracks. */
        boolean matches(String candidate) {
            int t = 0;
            int c = 0;
            int starToken = -1;
            int starCandidate = 0;
            while (c < candidate.length()) {
                if (t < tokens.size() && tokens.get(t) != Token.STAR && tokens.get(t).accepts(candidate.charAt(c))) {
                    t++;
                    c++;
                } else if (t < tokens.size() && tokens.get(t) == Token.STAR) {
                    starToken = t++;
                    starCandidate = c;
                } else if (starToken >= 0) {
                    t = starToken + 1;
                    c = ++starCandidate;
                } else {
                    return false;
                }
            }
            while (t < tokens.size() && tokens.get(t) == Token.STAR) {
                t++;
            }
            return t == tokens.size();
        }

        private static int classEnd(String text, int open) {
            int i = open + 1;
            if (i < text.length() && text.charAt(i) == '!') {
                i++;
            }
            // A ']' right after the opening bracket is a member, as in glob.
            if (i < text.length() && text.charAt(i) == ']') {
                i++;
            }
            int close = text.indexOf(']', i);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in a DNS pattern");
            }
            return close;
        }
    }

    /** One step of a label glob: a star, or a matcher of exactly one character. */
    private sealed interface Token {
        Token STAR = new Star();
        Token ANY = new AnyCharacter();

        static Token literal(char c) {
            return new Literal(Character.toLowerCase(c));
        }

        static Token charClass(String body) {
            boolean negated = body.startsWith("!");
            return new CharClass((negated ? body.substring(1) : body).toLowerCase(Locale.ROOT), negated);
        }

        /** Whether this single-character token accepts {@code candidate}; a star accepts nothing by itself. */
        default boolean accepts(char candidate) {
            char c = Character.toLowerCase(candidate);
            return switch (this) {
                case Literal literal -> literal.character() == c;
                case AnyCharacter any -> true;
                case CharClass charClass -> charClass.contains(c) != charClass.negated();
                case Star star -> false;
            };
        }
    }

    private record Star() implements Token {}

    private record AnyCharacter() implements Token {}

    private record Literal(char character) implements Token {}

    /** {@code [abc]}, {@code [a-z]}, or negated with {@code !}. */
    private record CharClass(String members, boolean negated) implements Token {
        boolean contains(char c) {
            for (int i = 0; i < members.length(); i++) {
                if (i + 2 < members.length() && members.charAt(i + 1) == '-') {
                    if (members.charAt(i) <= c && c <= members.charAt(i + 2)) {
                        return true;
                    }
                    i += 2;
                } else if (members.charAt(i) == c) {
                    return true;
                }
            }
            return false;
        }
    }
}
