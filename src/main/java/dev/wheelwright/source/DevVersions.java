package dev.wheelwright.source;

import dev.wheelwright.python.Version;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The version of a branch head that is not tagged, by setuptools-scm's default scheme ("guess-next-dev" with the
 * local part "g" + the short commit id): the next version after the latest tag, dev number = commits since it.
 * {@code 1.2.3} → {@code 1.2.4.devN+g<sha>}; a pre-release tag {@code 1.3.0rc1} → {@code 1.3.0rc2.devN+g<sha>}; no
 * tag at all → {@code 0.1.devN+g<sha>}. Pure; thread-safe.
 */
final class DevVersions {
    private static final int SHORT_ID = 7;

    private DevVersions() {}

    /**
     * @param latest the version of the nearest tagged ancestor, if there is one
     * @param distance commits since it (at least 1: a tagged head is its tag's release)
     * @param commit the head's full commit id
     */
    static Version next(Optional<Version> latest, int distance, String commit) {
        if (distance < 1) {
            throw new IllegalArgumentException("a dev release needs at least one commit after the tag");
        }
        String local = "+g" + commit.substring(0, Math.min(SHORT_ID, commit.length()));
        if (latest.isEmpty()) {
            return Version.parse("0.1.dev" + distance + local);
        }
        Version v = latest.get();
        StringBuilder next = new StringBuilder();
        if (v.epoch() != 0) {
            next.append(v.epoch()).append('!');
        }
        List<BigInteger> release = new ArrayList<>(v.release());
        if (v.preLabel().isPresent() && !v.isPostrelease()) {
            next.append(join(release))
                    .append(v.preLabel().get())
                    .append(v.preNumber().orElse(BigInteger.ZERO).add(BigInteger.ONE));
        } else {
            int last = release.size() - 1;
            release.set(last, release.get(last).add(BigInteger.ONE));
            next.append(join(release));
        }
        return Version.parse(next + ".dev" + distance + local);
    }

    /** Whether {@code v} has the shape of a branch dev release ({@code .devN+g<hex>}), not of a tag. */
    static boolean isBranchDev(Version v) {
        return v.isDevrelease()
                && v.local().filter(l -> l.matches("g[0-9a-f]{7,40}")).isPresent();
    }

    private static String join(List<BigInteger> release) {
        return String.join(".", release.stream().map(BigInteger::toString).toList());
    }
}
