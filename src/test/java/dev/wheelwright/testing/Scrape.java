package dev.wheelwright.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of {@code /metrics} (Prometheus text format 0.0.4), read into samples: a series is found by its name and
 * its label set, whatever order the labels were written in.
 */
public final class Scrape {
    /** One sample line: a series name, its labels and its value. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /** Parses a scrape; a line that is not a comment, a blank or a sample fails. */
    public static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line));
        }
        return new Scrape(samples);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new TreeMap<>();
        String name;
        String rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String key = line.substring(i, eq).trim();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                while (line.charAt(j) != '"') {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                    j++;
                }
                labels.put(key, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            rest = line.substring(i + 1).trim();
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1).trim();
        }
        String value = rest.split(" ")[0];
        return new Sample(name, labels, Double.parseDouble(value.replace("+Inf", "Infinity")));
    }

    /** The value of the series {@code name} with exactly these labels; 0 when the scrape has no such series. */
    public double value(String name, String... labelPairs) {
        Map<String, String> wanted = labels(labelPairs);
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().equals(wanted))
                .mapToDouble(Sample::value)
                .findFirst()
                .orElse(0);
    }

    /** Whether some series is named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Every sample. */
    public List<Sample> samples() {
        return samples;
    }

    private static Map<String, String> labels(String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new TreeMap<>(map);
    }
}
