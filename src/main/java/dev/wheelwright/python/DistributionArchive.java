package dev.wheelwright.python;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads the core metadata file out of an uploaded wheel or sdist on disk, defensively.
 *
 * <p>Contract: returns the exact bytes of the wheel's {@code *.dist-info/METADATA} or the sdist's
 * {@code {top}/PKG-INFO}; never extracts anything. Work is bounded whatever the input: at most 10,000 zip entries
 * in a wheel and 100,000 entries in an sdist are looked at, metadata files may inflate to at most 16 MiB (counted
 * while inflating, header sizes are not trusted), and at most 2 GiB of a {@code .tar.gz} is decompressed. Entry
 * names with {@code ..}, absolute paths or backslashes are refused where they matter. Every failure is an
 * {@link InvalidDistributionException} with one sentence naming the file (its name, never the server path); an
 * unreadable file on our own disk is an {@link java.io.UncheckedIOException}. Stateless and thread safe.
 */
public final class DistributionArchive {
    /** Largest METADATA / PKG-INFO accepted, in inflated bytes. */
    public static final int MAX_METADATA_BYTES = 16 * 1024 * 1024;
    /** Most zip entries scanned in a wheel. */
    public static final int MAX_WHEEL_ENTRIES = 200_000;
    /** Most entries scanned in an sdist. */
    public static final int MAX_SDIST_ENTRIES = 100_000;
    /** Most bytes decompressed from a {@code .tar.gz} sdist. */
    public static final long MAX_SDIST_DECOMPRESSED_BYTES = 2L * 1024 * 1024 * 1024;

    private static final int MAX_TAR_HEADER_DATA = 1024 * 1024;

    private DistributionArchive() {}

    /**
     * The exact bytes of the wheel's {@code {name}-{version}.dist-info/METADATA}.
     *
     * <p>There must be exactly one top-level {@code .dist-info} directory, its project part must normalize to the
     * filename's project, and it must hold {@code METADATA}.
     *
     * @throws InvalidDistributionException if the file is not a zip, is too large in entries or metadata, or
     *     has no (or an ambiguous) METADATA
     */
    public static byte[] wheelMetadata(Path wheel, WheelFilename filename) {
        return wheelContents(wheel, filename).metadata();
    }

    /**
     * The core metadata of a distribution file and the paths License-File entries are checked against (#14).
     *
     * @param metadata the exact bytes of METADATA / PKG-INFO
     * @param licenseRoot how messages name the place license files live, e.g. {@code demo-1.0.dist-info/licenses/}
     * @param licenseCandidates the regular files' paths relative to {@code licenseRoot}
     */
    public record Contents(byte[] metadata, String licenseRoot, Set<String> licenseCandidates) {
        /** Copies the set; rejects nulls. */
        public Contents {
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(licenseRoot, "licenseRoot");
            licenseCandidates = Set.copyOf(licenseCandidates);
        }
    }

    /**
     * Reads a wheel or sdist: its metadata as {@link #wheelMetadata} / {@link #sdistMetadata} do, and the files under
     * the wheel's {@code .dist-info/licenses/} or the sdist's top-level directory.
     *
     * @throws InvalidDistributionException as those methods do
     */
    public static Contents contents(Path file, DistributionFilename filename) {
        return filename instanceof WheelFilename wheel
                ? wheelContents(file, wheel)
                : sdistContents(file, (SdistFilename) filename);
    }

    private static Contents wheelContents(Path wheel, WheelFilename filename) {
        Objects.requireNonNull(wheel, "wheel");
        Objects.requireNonNull(filename, "filename");
        String file = filename.filename();
        String expected = filename.distInfoDirectory() + "/METADATA";
        try (ZipFile zip = openZip(wheel, "wheel " + file)) {
            Set<String> distInfoDirs = new LinkedHashSet<>();
            Set<String> licenses = new HashSet<>();
            ZipEntry metadata = null;
            int metadataCount = 0;
            int scanned = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                if (++scanned > MAX_WHEEL_ENTRIES) {
                    throw new InvalidDistributionException(
                            "wheel " + file + " has more than " + MAX_WHEEL_ENTRIES + " entries");
                }
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash <= 0 || !name.substring(0, slash).endsWith(".dist-info")) {
                    continue;
                }
                String dir = name.substring(0, slash);
                distInfoDirs.add(dir);
                if (name.startsWith(dir + "/licenses/") && !entry.isDirectory()) {
                    licenses.add(name.substring(dir.length() + "/licenses/".length()));
                }
                if (name.equals(dir + "/METADATA")) {
                    metadata = entry;
                    metadataCount++;
                }
            }
            if (distInfoDirs.size() > 1) {
                throw new InvalidDistributionException("wheel " + file + " has more than one .dist-info directory");
            }
            if (metadataCount > 1) {
                throw new InvalidDistributionException("wheel " + file + " has more than one METADATA entry");
            }
            if (metadata == null) {
                throw new InvalidDistributionException("wheel " + file + " has no " + expected);
            }
            String dir = metadata.getName().substring(0, metadata.getName().indexOf('/'));
            requireSafeEntryName(metadata.getName(), "wheel " + file);
            String stem = dir.substring(0, dir.length() - ".dist-info".length());
            int dash = stem.lastIndexOf('-');
            String projectPart = dash < 0 ? stem : stem.substring(0, dash);
            if (!ProjectName.normalize(projectPart).equals(filename.name().normalized())) {
                throw new InvalidDistributionException(
                        "wheel " + file + " has " + Echo.quote(dir) + " instead of " + filename.distInfoDirectory());
            }
            if (metadata.isDirectory()) {
                throw new InvalidDistributionException("wheel " + file + " has no " + expected);
            }
            try (InputStream in = zip.getInputStream(metadata)) {
                return new Contents(readBounded(in, "wheel " + file, "METADATA"), dir + "/licenses/", licenses);
            }
        } catch (IOException e) {
            throw new InvalidDistributionException("wheel " + file + " is not a valid zip archive", e);
        } catch (IllegalArgumentException e) { // java.util.zip: an entry name that is not valid UTF-8
            throw new InvalidDistributionException("wheel " + file + " has an entry name that is not valid UTF-8", e);
        }
    }

    /**
     * The exact bytes of the sdist's {@code {top}/PKG-INFO}, {@code top} being its single top-level directory.
     *
     * @throws InvalidDistributionException if the archive is malformed, too large, has path traversal entries,
     *     not exactly one top-level directory, or no PKG-INFO there
     */
    public static byte[] sdistMetadata(Path sdist, SdistFilename filename) {
        Objects.requireNonNull(sdist, "sdist");
        Objects.requireNonNull(filename, "filename");
        return sdistContents(sdist, filename).metadata();
    }

    private static Contents sdistContents(Path sdist, SdistFilename filename) {
        Objects.requireNonNull(sdist, "sdist");
        Objects.requireNonNull(filename, "filename");
        String what = "sdist " + filename.filename();
        return filename.isZip() ? zipSdistMetadata(sdist, what) : tarGzSdistMetadata(sdist, what);
    }

    /** The paths under {@code top/}, relative to it. */
    private static Set<String> under(String top, Set<String> files) {
        Set<String> out = new HashSet<>();
        String prefix = top + "/";
        for (String f : files) {
            if (f.startsWith(prefix)) {
                out.add(f.substring(prefix.length()));
            }
        }
        return out;
    }

    private static Contents zipSdistMetadata(Path sdist, String what) {
        try (ZipFile zip = openZip(sdist, what)) {
            Set<String> tops = new LinkedHashSet<>();
            Set<String> files = new HashSet<>();
            Map<String, ZipEntry> pkgInfos = new HashMap<>();
            int scanned = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                if (++scanned > MAX_SDIST_ENTRIES) {
                    throw new InvalidDistributionException(what + " has more than " + MAX_SDIST_ENTRIES + " entries");
                }
                ZipEntry entry = entries.nextElement();
                String name = cleanName(entry.getName(), what);
                if (name.isEmpty()) {
                    continue;
                }
                String[] parts = name.split("/", -1);
                tops.add(parts[0]);
                if (!entry.isDirectory()) {
                    files.add(name);
                }
                if (parts.length == 2 && parts[1].equals("PKG-INFO") && !entry.isDirectory()) {
                    if (pkgInfos.put(parts[0], entry) != null) {
                        throw new InvalidDistributionException(what + " has more than one " + name);
                    }
                }
            }
            String top = singleTop(tops, what);
            ZipEntry pkgInfo = pkgInfos.get(top);
            if (pkgInfo == null) {
                throw new InvalidDistributionException(what + " has no " + top + "/PKG-INFO");
            }
            try (InputStream in = zip.getInputStream(pkgInfo)) {
                return new Contents(readBounded(in, what, "PKG-INFO"), top + "/", under(top, files));
            }
        } catch (IOException e) {
            throw new InvalidDistributionException(what + " is not a valid zip archive", e);
        } catch (IllegalArgumentException e) { // java.util.zip: an entry name that is not valid UTF-8
            throw new InvalidDistributionException(what + " has an entry name that is not valid UTF-8", e);
        }
    }

    private static Contents tarGzSdistMetadata(Path sdist, String what) {
        InputStream raw;
        try {
            raw = Files.newInputStream(sdist);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (InputStream file = raw;
                InputStream gzip = new GZIPInputStream(new BufferedInputStream(file, 65536), 65536);
                InputStream in = new BoundedStream(new BufferedInputStream(gzip, 65536), what)) {
            return new TarScan(in, what).pkgInfo();
        } catch (InvalidDistributionException e) {
            throw e;
        } catch (EOFException e) {
            throw new InvalidDistributionException(what + " is a truncated tar.gz archive", e);
        } catch (IOException e) {
            throw new InvalidDistributionException(what + " is not a valid tar.gz archive", e);
        }
    }

    private static ZipFile openZip(Path path, String what) {
        if (!Files.isRegularFile(path)) {
            throw new java.io.UncheckedIOException(new java.io.FileNotFoundException(what + " is not on disk"));
        }
        try {
            return new ZipFile(path.toFile(), StandardCharsets.UTF_8);
        } catch (ZipException e) {
            throw new InvalidDistributionException(what + " is not a valid zip archive", e);
        } catch (IOException e) {
            throw new InvalidDistributionException(what + " is not a valid zip archive", e);
        }
    }

    private static String singleTop(Set<String> tops, String what) {
        if (tops.size() != 1) {
            throw new InvalidDistributionException(
                    what + " must have exactly one top-level directory, not " + tops.size());
        }
        return tops.iterator().next();
    }

    /** Rejects names that could escape an extraction directory. */
    private static void requireSafeEntryName(String name, String what) {
        if (name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0 || name.matches("^[A-Za-z]:.*")) {
            throw new InvalidDistributionException(what + " has an unsafe entry name " + Echo.quote(name));
        }
        for (String part : name.split("/", -1)) {
            if (part.equals("..")) {
                throw new InvalidDistributionException(what + " has an unsafe entry name " + Echo.quote(name));
            }
        }
    }

    /** Checks an sdist entry name and drops {@code ./} components and a trailing {@code /}; "" for the root. */
    private static String cleanName(String name, String what) {
        requireSafeEntryName(name, what);
        StringBuilder out = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private static byte[] readBounded(InputStream in, String what, String entry) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            total += n;
            if (total > MAX_METADATA_BYTES) {
                throw new InvalidDistributionException(
                        what + " has a " + entry + " larger than " + (MAX_METADATA_BYTES >> 20) + " MiB");
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** Fails once more than {@link #MAX_SDIST_DECOMPRESSED_BYTES} have been read. */
    private static final class BoundedStream extends FilterInputStream {
        private final String what;
        private long count;

        BoundedStream(InputStream in, String what) {
            super(in);
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            count += n;
            if (count > MAX_SDIST_DECOMPRESSED_BYTES) {
                throw new InvalidDistributionException(
                        what + " decompresses to more than " + (MAX_SDIST_DECOMPRESSED_BYTES >> 30) + " GiB");
            }
        }
    }

    /** A minimal tar reader: ustar/GNU/pax headers, enough to find one file by name without extracting. */
    private static final class TarScan {
        private static final int BLOCK = 512;

        private final InputStream in;
        private final String what;
        private final Map<String, String> globalPax = new HashMap<>();

        TarScan(InputStream in, String what) {
            this.in = in;
            this.what = what;
        }

        Contents pkgInfo() throws IOException {
            Set<String> tops = new LinkedHashSet<>();
            Set<String> files = new HashSet<>();
            Map<String, byte[]> pkgInfos = new HashMap<>();
            Map<String, String> localPax = new HashMap<>();
            String longName = null;
            int entries = 0;
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(header)) {
                    break; // end of data without the end-of-archive blocks: tolerated like Python's tarfile
                }
                if (isZeros(header)) {
                    break;
                }
                if (++entries > MAX_SDIST_ENTRIES) {
                    throw new InvalidDistributionException(what + " has more than " + MAX_SDIST_ENTRIES + " entries");
                }
                verifyChecksum(header);
                char type = (char) (header[156] & 0xff);
                long size = parseSize(header);
                switch (type) {
                    case 'x', 'g' -> {
                        Map<String, String> records = parsePax(readSmall(size));
                        (type == 'x' ? localPax : globalPax).putAll(records);
                        continue;
                    }
                    case 'L' -> {
                        longName = cString(readSmall(size), 0, (int) size);
                        continue;
                    }
                    case 'K' -> {
                        readSmall(size);
                        continue;
                    }
                    default -> {
                        // a member header, handled below
                    }
                }
                Map<String, String> pax = new HashMap<>(globalPax);
                pax.putAll(localPax);
                String name;
                if (pax.containsKey("path")) {
                    name = pax.get("path");
                } else if (longName != null) {
                    name = longName;
                } else {
                    name = ustarName(header);
                }
                if (pax.containsKey("size")) {
                    size = parseDecimal(pax.get("size"));
                }
                localPax.clear();
                longName = null;

                String clean = cleanName(name, what);
                boolean regular = type == '0' || type == '\0' || type == '7';
                if (!clean.isEmpty()) {
                    String[] parts = clean.split("/", -1);
                    tops.add(parts[0]);
                    if (regular) {
                        files.add(clean);
                    }
                    if (parts.length == 2 && parts[1].equals("PKG-INFO") && type != '5') {
                        if (!regular) {
                            throw new InvalidDistributionException(
                                    what + " has a " + clean + " that is not a regular file");
                        }
                        if (size > MAX_METADATA_BYTES) {
                            throw new InvalidDistributionException(
                                    what + " has a PKG-INFO larger than " + (MAX_METADATA_BYTES >> 20) + " MiB");
                        }
                        byte[] data = readExactly((int) size);
                        skipPadding(size);
                        if (pkgInfos.put(parts[0], data) != null) {
                            throw new InvalidDistributionException(what + " has more than one " + clean);
                        }
                        continue;
                    }
                }
                if (regular
                        || type == 'S'
                        || !(type == '1' || type == '2' || type == '3' || type == '4' || type == '5' || type == '6')) {
                    skip(size);
                    skipPadding(size);
                }
            }
            String top = singleTop(tops, what);
            byte[] pkgInfo = pkgInfos.get(top);
            if (pkgInfo == null) {
                throw new InvalidDistributionException(what + " has no " + top + "/PKG-INFO");
            }
            return new Contents(pkgInfo, top + "/", under(top, files));
        }

        private boolean readBlock(byte[] block) throws IOException {
            int off = 0;
            while (off < BLOCK) {
                int n = in.read(block, off, BLOCK - off);
                if (n < 0) {
                    if (off == 0) {
                        return false;
                    }
                    throw new EOFException("truncated tar header");
                }
                off += n;
            }
            return true;
        }

        private static boolean isZeros(byte[] block) {
            for (byte b : block) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        private void verifyChecksum(byte[] header) throws IOException {
            long expected = parseOctal(header, 148, 8);
            long unsigned = 0;
            long signed = 0;
            for (int i = 0; i < BLOCK; i++) {
                int b = (i >= 148 && i < 156) ? ' ' : header[i];
                unsigned += b & 0xff;
                signed += (i >= 148 && i < 156) ? ' ' : header[i];
            }
            if (expected != unsigned && expected != signed) {
                throw new IOException("bad tar header checksum");
            }
        }

        private long parseSize(byte[] header) throws IOException {
            if ((header[124] & 0x80) != 0) {
                long value = 0;
                for (int i = 125; i < 136; i++) {
                    value = (value << 8) | (header[i] & 0xff);
                    if (value > MAX_SDIST_DECOMPRESSED_BYTES) {
                        throw new InvalidDistributionException(what + " has an entry larger than the size limit");
                    }
                }
                return value;
            }
            return parseOctal(header, 124, 12);
        }

        private static long parseOctal(byte[] header, int offset, int length) throws IOException {
            long value = 0;
            int i = offset;
            int end = offset + length;
            while (i < end && (header[i] == ' ' || header[i] == 0)) {
                i++;
            }
            boolean any = false;
            for (; i < end; i++) {
                byte b = header[i];
                if (b == 0 || b == ' ') {
                    break;
                }
                if (b < '0' || b > '7') {
                    throw new IOException("bad octal number in tar header");
                }
                value = (value << 3) + (b - '0');
                any = true;
            }
            return any ? value : 0;
        }

        private long parseDecimal(String text) {
            try {
                long value = Long.parseLong(text.trim());
                if (value < 0) {
                    throw new NumberFormatException(text);
                }
                return value;
            } catch (NumberFormatException e) {
                throw new InvalidDistributionException(what + " has a malformed pax size record");
            }
        }

        private static String ustarName(byte[] header) {
            String name = cString(header, 0, 100);
            boolean ustar = header[257] == 'u'
                    && header[258] == 's'
                    && header[259] == 't'
                    && header[260] == 'a'
                    && header[261] == 'r';
            // GNU tar uses bytes 345.. for atime/ctime, so only POSIX ustar ("ustar\0") has a prefix field.
            if (ustar && header[262] == 0) {
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    return prefix + "/" + name;
                }
            }
            return name;
        }

        private static String cString(byte[] bytes, int offset, int length) {
            int end = offset;
            while (end < offset + length && end < bytes.length && bytes[end] != 0) {
                end++;
            }
            return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
        }

        private Map<String, String> parsePax(byte[] data) {
            Map<String, String> records = new HashMap<>();
            int pos = 0;
            while (pos < data.length) {
                if (data[pos] == 0) {
                    break;
                }
                int space = pos;
                while (space < data.length && data[space] != ' ') {
                    space++;
                }
                int length;
                try {
                    length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    throw new InvalidDistributionException(what + " has a malformed pax header");
                }
                int end = pos + length;
                if (length <= 0 || end > data.length || space >= end || data[end - 1] != '\n') {
                    throw new InvalidDistributionException(what + " has a malformed pax header");
                }
                String record = new String(data, space + 1, end - space - 2, StandardCharsets.UTF_8);
                int eq = record.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidDistributionException(what + " has a malformed pax header");
                }
                records.put(record.substring(0, eq), record.substring(eq + 1));
                pos = end;
            }
            return records;
        }

        private byte[] readSmall(long size) throws IOException {
            if (size > MAX_TAR_HEADER_DATA) {
                throw new InvalidDistributionException(what + " has an oversized tar extension header");
            }
            byte[] data = readExactly((int) size);
            skipPadding(size);
            return data;
        }

        private byte[] readExactly(int size) throws IOException {
            byte[] data = in.readNBytes(size);
            if (data.length != size) {
                throw new EOFException("truncated tar entry");
            }
            return data;
        }

        private void skipPadding(long size) throws IOException {
            long pad = (BLOCK - (size % BLOCK)) % BLOCK;
            skip(pad);
        }

        private void skip(long n) throws IOException {
            byte[] buffer = new byte[8192];
            long left = n;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new EOFException("truncated tar entry");
                }
                left -= read;
            }
        }
    }
}
