package dev.wheelwright.source.jgit;

import dev.wheelwright.builds.SourceTree;
import dev.wheelwright.common.FileTrees;
import dev.wheelwright.common.Sha256;
import dev.wheelwright.source.BranchPosition;
import dev.wheelwright.source.GitTag;
import dev.wheelwright.source.GitUrls;
import dev.wheelwright.source.SourceExportException;
import dev.wheelwright.source.SourceRepository;
import dev.wheelwright.source.SourceUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.LsRemoteCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bare JGit mirrors under one directory, one per remote: {@code <root>/<repo>-<8 hex of the URL's sha256>.git}
 * (projects of a monorepo share theirs). A fetch takes every tag ({@code +refs/tags/*:refs/tags/*}, forced so a moved
 * tag is seen; tags deleted at the remote are kept). First-seen commits are refs
 * {@code refs/wheelwright/seen/<tag>} in the mirror, which also keep those commits after a tag moves. The branches of
 * projects with dev releases are fetched too, each into {@code refs/heads/<branch>}.
 *
 * <p>Credentials: the token (if any) is sent as the password of https remotes only, never logged, and never given to
 * builds (they get exported trees, not the mirror). Thread-safe: fetches and ref writes of one mirror are serialized.
 */
public final class JGitSourceRepository implements SourceRepository, AutoCloseable {
    /** Mode 0644 of an exported file. */
    private static final Set<PosixFilePermission> REGULAR = PosixFilePermissions.fromString("rw-r--r--");
    /** Mode 0755 of an exported executable or directory. */
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private static final Logger log = LoggerFactory.getLogger(JGitSourceRepository.class);
    private static final String SEEN = "refs/wheelwright/seen/";
    /** Marker refs of the tags deleted at the remote (the tag ref itself is kept). */
    private static final String DELETED = "refs/wheelwright/deleted/";

    private final Path root;
    private final Optional<String> token;
    private final int timeoutSeconds;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Map<String, Repository> open = new ConcurrentHashMap<>();

    /**
     * @param root the directory of the mirrors ({@code <data-dir>/git})
     * @param token the token for https remotes, if any
     * @param timeout network timeout of one fetch or ls-remote
     */
    public JGitSourceRepository(Path root, Optional<String> token, Duration timeout) {
        this.root = Objects.requireNonNull(root);
        this.token = Objects.requireNonNull(token).filter(t -> !t.isEmpty());
        this.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    }

    /** Where the mirror of {@code url} lives. */
    Path mirrorDir(String url) {
        String key = GitUrls.key(url);
        String last = key.substring(key.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        if (last.isEmpty() || last.startsWith(".")) {
            last = "repo" + last;
        }
        if (last.length() > 60) {
            last = last.substring(0, 60);
        }
        return root.resolve(last + "-" + Sha256.hex(key).substring(0, 8) + ".git");
    }

    @Override
    public void fetch(String url, Set<String> branches) {
        synchronized (lock(url)) {
            Repository repo = openOrCreate(url);
            List<RefSpec> specs = new ArrayList<>();
            specs.add(new RefSpec("+" + Constants.R_TAGS + "*:" + Constants.R_TAGS + "*"));
            for (String b : new TreeSet<>(branches)) { // forced: a rewritten branch follows the remote
                specs.add(new RefSpec("+" + Constants.R_HEADS + b + ":" + Constants.R_HEADS + b));
            }
            FetchResult result;
            try (Git git = Git.wrap(repo)) {
                result = git.fetch()
                        .setRemote(url)
                        .setRefSpecs(specs)
                        .setTagOpt(TagOpt.NO_TAGS)
                        .setRemoveDeletedRefs(false)
                        .setTimeout(timeoutSeconds)
                        .setCredentialsProvider(credentials(url))
                        .call();
            } catch (GitAPIException | RuntimeException e) {
                throw new SourceUnavailableException("cannot fetch " + GitUrls.redact(url) + ": " + clean(e, url), e);
            }
            Set<String> remote = new HashSet<>();
            for (Ref ref : result.getAdvertisedRefs()) {
                if (ref.getName().startsWith(Constants.R_TAGS) && !ref.getName().endsWith("^{}")) {
                    remote.add(ref.getName().substring(Constants.R_TAGS.length()));
                }
            }
            markDeleted(repo, url, remote);
        }
    }

    @Override
    public boolean exists(String url) {
        try {
            LsRemoteCommand ls = Git.lsRemoteRepository()
                    .setRemote(url)
                    .setHeads(true)
                    .setTimeout(timeoutSeconds)
                    .setCredentialsProvider(credentials(url));
            ls.call();
            return true;
        } catch (GitAPIException | RuntimeException e) {
            log.debug("no git repository at {}: {}", GitUrls.redact(url), clean(e, url));
            return false;
        }
    }

    @Override
    public Map<String, String> remoteTags(String url) {
        return named(lsRemote(url, Constants.R_TAGS, "tags"), Constants.R_TAGS, name -> !name.endsWith("^{}"));
    }

    @Override
    public Map<String, String> remoteHeads(String url, Set<String> branches) {
        return named(lsRemote(url, Constants.R_HEADS, "branches"), Constants.R_HEADS, branches::contains);
    }

    /** The remote's refs under {@code prefix} ({@code refs/tags/} or {@code refs/heads/}): one ls-remote, no objects. */
    private Collection<Ref> lsRemote(String url, String prefix, String what) {
        try {
            return Git.lsRemoteRepository()
                    .setRemote(url)
                    .setTags(prefix.equals(Constants.R_TAGS))
                    .setHeads(prefix.equals(Constants.R_HEADS))
                    .setTimeout(timeoutSeconds)
                    .setCredentialsProvider(credentials(url))
                    .call();
        } catch (GitAPIException | RuntimeException e) {
            throw new SourceUnavailableException(
                    "cannot fetch " + GitUrls.redact(url) + " (listing its " + what + "): " + clean(e, url), e);
        }
    }

    /** Of {@code refs}, those under {@code prefix} whose short name {@code keep} accepts: short name → id. */
    private static Map<String, String> named(Collection<Ref> refs, String prefix, Predicate<String> keep) {
        Map<String, String> named = new HashMap<>();
        for (Ref ref : refs) {
            if (ref.getName().startsWith(prefix)) {
                String name = ref.getName().substring(prefix.length());
                if (keep.test(name)) {
                    named.put(name, ref.getObjectId().name());
                }
            }
        }
        return named;
    }

    @Override
    public Map<String, String> mirroredHeads(String url, Set<String> branches) {
        try {
            Map<String, String> heads = new HashMap<>(refsUnder(url, Constants.R_HEADS));
            heads.keySet().retainAll(branches);
            return heads;
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read the branches of the mirror of " + GitUrls.redact(url), e);
        }
    }

    @Override
    public BranchPosition describe(String url, String commit, Set<String> tagged) {
        Repository repo =
                existing(url).orElseThrow(() -> new SourceExportException("no mirror of " + GitUrls.redact(url)));
        try {
            ObjectId head = ObjectId.fromString(commit);
            RevCommit base = null;
            int walked = 0;
            try (RevWalk walk = new RevWalk(repo)) { // newest first, as git describe meets them
                walk.markStart(walk.parseCommit(head));
                for (RevCommit c : walk) {
                    if (tagged.contains(c.name())) {
                        base = c;
                        break;
                    }
                    walked++;
                }
            }
            if (base == null) {
                return new BranchPosition(Optional.empty(), walked);
            }
            int distance = 0;
            try (RevWalk walk = new RevWalk(repo)) { // commits of the head the tagged one does not contain
                walk.markStart(walk.parseCommit(head));
                walk.markUninteresting(walk.parseCommit(base));
                for (RevCommit ignored : walk) {
                    distance++;
                }
            }
            return new BranchPosition(Optional.of(base.name()), distance);
        } catch (IOException | IllegalArgumentException e) {
            throw new SourceExportException(
                    "cannot walk the history of " + commit + " in the mirror of " + GitUrls.redact(url), e);
        }
    }

    @Override
    public Map<String, String> mirroredTags(String url) {
        try {
            return refsUnder(url, Constants.R_TAGS);
        } catch (IOException e) {
            throw new SourceUnavailableException("cannot read the tags of the mirror of " + GitUrls.redact(url), e);
        }
    }

    @Override
    public List<GitTag> tags(String url) {
        Optional<Repository> repo = existing(url);
        if (repo.isEmpty()) {
            return List.of();
        }
        List<GitTag> tags = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo.get())) {
            for (Ref ref : repo.get().getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                String name = ref.getName().substring(Constants.R_TAGS.length());
                try {
                    RevObject object = walk.parseAny(ref.getObjectId());
                    Instant tagDate = null;
                    if (object instanceof RevTag tag && tag.getTaggerIdent() != null) {
                        tagDate = tag.getTaggerIdent().getWhenAsInstant();
                    }
                    RevObject peeled = walk.peel(object);
                    if (!(peeled instanceof RevCommit commit)) {
                        log.debug("tag {} of {} does not name a commit; skipped", name, GitUrls.redact(url));
                        continue;
                    }
                    walk.parseHeaders(commit);
                    Instant date = tagDate != null
                            ? tagDate
                            : commit.getCommitterIdent().getWhenAsInstant();
                    tags.add(new GitTag(name, commit.name(), date));
                } catch (MissingObjectException e) {
                    log.debug("tag {} of {} names a missing object; skipped", name, GitUrls.redact(url));
                }
            }
        } catch (IOException e) {
            throw new SourceExportException("cannot read the tags of the mirror of " + GitUrls.redact(url), e);
        }
        return tags;
    }

    @Override
    public Map<String, String> firstSeen(String url) {
        try {
            return refsUnder(url, SEEN);
        } catch (IOException e) {
            throw new SourceExportException("cannot read the mirror of " + GitUrls.redact(url), e);
        }
    }

    /** The refs of the mirror of {@code url} under {@code prefix}: name without the prefix → object id; empty without a mirror. */
    private Map<String, String> refsUnder(String url, String prefix) throws IOException {
        Optional<Repository> repo = existing(url);
        if (repo.isEmpty()) {
            return Map.of();
        }
        Map<String, String> refs = new HashMap<>();
        for (Ref ref : repo.get().getRefDatabase().getRefsByPrefix(prefix)) {
            refs.put(ref.getName().substring(prefix.length()), ref.getObjectId().name());
        }
        return refs;
    }

    @Override
    public void recordFirstSeen(String url, Map<String, String> tags) {
        synchronized (lock(url)) {
            Repository repo = existing(url)
                    .orElseThrow(() ->
                            new SourceExportException("no mirror of " + GitUrls.redact(url) + " to record tags in"));
            for (Map.Entry<String, String> e : tags.entrySet()) {
                try {
                    RefUpdate update = repo.updateRef(SEEN + e.getKey());
                    update.setExpectedOldObjectId(ObjectId.zeroId());
                    update.setNewObjectId(ObjectId.fromString(e.getValue()));
                    RefUpdate.Result result = update.update();
                    if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.LOCK_FAILURE) {
                        log.warn("cannot record tag {} of {} as seen: {}", e.getKey(), GitUrls.redact(url), result);
                    }
                } catch (IOException | IllegalArgumentException ex) {
                    log.warn(
                            "cannot record tag {} of {} as seen: {}", e.getKey(), GitUrls.redact(url), ex.getMessage());
                }
            }
        }
    }

    @Override
    public Set<String> deletedTags(String url) {
        try {
            return new HashSet<>(refsUnder(url, DELETED).keySet());
        } catch (IOException e) {
            throw new SourceExportException("cannot read the mirror of " + GitUrls.redact(url), e);
        }
    }

    /**
     * Marks the mirror's tags the remote no longer advertises (a marker ref per tag, so it survives restarts) and
     * unmarks those it advertises again; the tags themselves stay, so their releases keep their commits.
     */
    private void markDeleted(Repository repo, String url, Set<String> remote) {
        try {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                String tag = ref.getName().substring(Constants.R_TAGS.length());
                Ref marker = repo.exactRef(DELETED + tag);
                if (!remote.contains(tag) && marker == null) {
                    RefUpdate update = repo.updateRef(DELETED + tag);
                    update.setNewObjectId(ref.getObjectId());
                    update.update();
                    log.info("tag {} of {} was deleted at the remote; its release stays", tag, GitUrls.redact(url));
                } else if (remote.contains(tag) && marker != null) {
                    RefUpdate update = repo.updateRef(DELETED + tag);
                    update.setForceUpdate(true);
                    update.delete();
                }
            }
        } catch (IOException e) {
            log.warn("cannot record the tags deleted at {}: {}", GitUrls.redact(url), e.getMessage());
        }
    }

    @Override
    public SourceTree tree(String url) {
        return new SourceTree() {
            @Override
            public Instant exportTo(String commit, Path target) {
                return export(url, commit, target);
            }

            @Override
            public String repository() {
                return GitUrls.redact(url);
            }

            @Override
            public Optional<String> tagObject(String tag, String commit) {
                return annotatedTag(url, tag, commit);
            }
        };
    }

    /** See {@link SourceTree#tagObject}. */
    private Optional<String> annotatedTag(String url, String tag, String commit) {
        Optional<Repository> repo = existing(url);
        if (repo.isEmpty()) {
            return Optional.empty();
        }
        try (RevWalk walk = new RevWalk(repo.get())) {
            Ref ref = repo.get().getRefDatabase().exactRef(Constants.R_TAGS + tag);
            if (ref == null) {
                return Optional.empty();
            }
            RevObject object = walk.parseAny(ref.getObjectId());
            if (object instanceof RevTag annotated
                    && walk.peel(annotated).name().equals(commit)) {
                return Optional.of(annotated.name());
            }
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read tag {} of the mirror of {}: {}", tag, GitUrls.redact(url), e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Writes the tree of {@code commit} into {@code target} and returns the commit's time; see
     * {@link SourceTree#exportTo}. When the mirror lacks the commit (or does not exist yet) it is fetched first: a
     * replica that takes up a build another replica queued may not have fetched the tag yet.
     */
    Instant export(String url, String commit, Path target) {
        if (!hasCommit(url, commit)) {
            fetch(url);
        }
        return exportFromMirror(url, commit, target);
    }

    private boolean hasCommit(String url, String commit) {
        Optional<Repository> repo = existing(url);
        if (repo.isEmpty()) {
            return false;
        }
        try {
            return repo.get().getObjectDatabase().has(ObjectId.fromString(commit));
        } catch (IllegalArgumentException | IOException e) { // not an id: exporting says so
            return false;
        }
    }

    private Instant exportFromMirror(String url, String commit, Path target) {
        Repository repo = existing(url)
                .orElseThrow(() -> new SourceExportException(
                        "no mirror of " + GitUrls.redact(url) + " to export " + commit + " from"));
        Path base = target.toAbsolutePath().normalize();
        try {
            Files.createDirectories(base);
            try (Stream<Path> entries = Files.list(base)) {
                if (entries.findAny().isPresent()) {
                    throw new SourceExportException("export target for " + commit + " is not empty");
                }
            }
            List<String[]> links = new ArrayList<>();
            Instant committed;
            try (RevWalk walk = new RevWalk(repo);
                    TreeWalk tw = new TreeWalk(repo)) {
                RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
                committed = Instant.ofEpochSecond(c.getCommitTime());
                tw.addTree(c.getTree());
                tw.setRecursive(true);
                while (tw.next()) {
                    String path = tw.getPathString();
                    Path out = base.resolve(path).normalize();
                    if (!out.startsWith(base) || out.equals(base) || isGitDir(path)) {
                        log.debug("skipped tree entry {} of {}", path, commit);
                        continue;
                    }
                    FileMode mode = tw.getFileMode(0);
                    if (mode == FileMode.GITLINK) {
                        Files.createDirectories(out);
                        continue;
                    }
                    Files.createDirectories(out.getParent());
                    ObjectLoader loader = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                    if (mode == FileMode.SYMLINK) {
                        links.add(new String[] {path, new String(loader.getBytes(), StandardCharsets.UTF_8)});
                        continue;
                    }
                    try (OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                        loader.copyTo(os);
                    }
                    setMode(out, mode == FileMode.EXECUTABLE_FILE ? EXECUTABLE : REGULAR);
                }
            }
            for (String[] link : links) {
                writeLink(base, link[0], link[1]);
            }
            settle(base, committed);
            return committed;
        } catch (MissingObjectException | IllegalArgumentException e) {
            throw new SourceExportException("commit " + commit + " is not in the mirror of " + GitUrls.redact(url), e);
        } catch (IOException e) {
            throw new SourceExportException(
                    "cannot export commit " + commit + " of " + GitUrls.redact(url) + ": " + e.getMessage(), e);
        }
    }

    /** A symlink that stays inside the tree is kept; one that points outside becomes a file holding its target. */
    private static void writeLink(Path base, String path, String linkTarget) throws IOException {
        Path out = base.resolve(path).normalize();
        Path resolved = out.getParent().resolve(linkTarget).normalize();
        if (!linkTarget.startsWith("/") && resolved.startsWith(base)) {
            Files.createSymbolicLink(out, Path.of(linkTarget));
        } else {
            Files.writeString(out, linkTarget, StandardOpenOption.CREATE_NEW);
        }
    }

    private static boolean isGitDir(String path) {
        for (String segment : path.split("/")) {
            if (segment.toLowerCase(Locale.ROOT).equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives every directory mode 0755 and every entry of the export (directories, files, symlinks themselves) the
     * commit's time as its modification time, deepest first, so that what a backend copies into an sdist does not
     * depend on when or where the tree was exported (reproducible builds).
     */
    private static void settle(Path base, Instant committed) throws IOException {
        FileTime time = FileTime.from(committed);
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(base)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : entries) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                setMode(p, EXECUTABLE);
            }
            Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(time, null, null);
        }
    }

    /** Sets exactly {@code perms}, whatever the process's umask made of the new file. */
    private static void setMode(Path file, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException e) {
            file.toFile().setExecutable(perms.contains(PosixFilePermission.OWNER_EXECUTE), false);
        }
    }

    private Object lock(String url) {
        return locks.computeIfAbsent(GitUrls.key(url), k -> new Object());
    }

    private Optional<Repository> existing(String url) {
        Path dir = mirrorDir(url);
        Repository cached = open.get(dir.toString());
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        return Optional.of(open.computeIfAbsent(dir.toString(), k -> build(dir)));
    }

    private Repository openOrCreate(String url) {
        Path dir = mirrorDir(url);
        if (!Files.isDirectory(dir)) {
            Path partial = dir.resolveSibling(dir.getFileName() + ".partial");
            try {
                FileTrees.delete(partial);
                Files.createDirectories(root);
                Git.init()
                        .setBare(true)
                        .setGitDir(partial.toFile())
                        .setInitialBranch("main")
                        .call()
                        .close();
                Files.move(partial, dir, StandardCopyOption.ATOMIC_MOVE);
                log.info("created mirror of {} in {}", GitUrls.redact(url), dir);
            } catch (FileAlreadyExistsException e) {
                log.debug("mirror {} appeared meanwhile", dir);
            } catch (IOException | GitAPIException e) {
                throw new SourceUnavailableException(
                        "cannot create the mirror of " + GitUrls.redact(url) + ": " + e.getMessage(), e);
            }
        }
        return existing(url).orElseThrow();
    }

    private static Repository build(Path dir) {
        try {
            return new FileRepositoryBuilder()
                    .setGitDir(dir.toFile())
                    .setMustExist(true)
                    .build();
        } catch (IOException e) {
            throw new SourceExportException("cannot open the mirror " + dir.getFileName(), e);
        }
    }

    private CredentialsProvider credentials(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (token.isPresent() && (lower.startsWith("https://") || lower.startsWith("http://"))) {
            return new UsernamePasswordCredentialsProvider("x-access-token", token.get());
        }
        return CredentialsProvider.getDefault();
    }

    /**
     * The deepest cause's message (JGit wraps the same failure several times), without the URL (the caller names
     * it, and the raw form may hold credentials) and without the token.
     */
    private String clean(Exception e, String url) {
        String text = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                text = t.getMessage();
            }
        }
        if (text == null) {
            return e.getClass().getSimpleName();
        }
        for (String u : List.of(url, GitUrls.redact(url))) {
            text = text.replace(u + ": ", "").replace(u, "the remote");
        }
        if (token.isPresent()) {
            text = text.replace(token.get(), "***");
        }
        return text.replaceAll("[\\r\\n]+", " ").strip();
    }

    @Override
    public void close() {
        open.values().forEach(Repository::close);
        open.clear();
    }
}
