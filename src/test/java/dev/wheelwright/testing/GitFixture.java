package dev.wheelwright.testing;

import dev.wheelwright.common.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** A real git repository made with JGit in a test directory, served to the server as a {@code file://} remote. */
public final class GitFixture implements AutoCloseable {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Path dir;
    private final Git git;
    private final AtomicLong clock = new AtomicLong();

    private GitFixture(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    /** A new repository in {@code dir} with a first commit (a minimal pyproject.toml of {@code project}). */
    public static GitFixture create(Path dir, String project) throws GitAPIException, IOException {
        Files.createDirectories(dir);
        GitFixture f = new GitFixture(
                dir,
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        f.commit("initial", Map.of("pyproject.toml", pyproject(project)));
        return f;
    }

    /** A repository over the files already in {@code dir}, all committed. */
    public static GitFixture over(Path dir) throws GitAPIException, IOException {
        GitFixture f = new GitFixture(
                dir,
                Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
        f.commit("initial", Map.of());
        return f;
    }

    /** A PEP 621 pyproject.toml with a dynamic (setuptools-scm) version. */
    public static String pyproject(String project) {
        return "[build-system]\nrequires = [\"setuptools>=64\", \"setuptools-scm>=8\"]\nbuild-backend = \"setuptools.build_meta\"\n\n"
                + "[project]\nname = \"" + project + "\"\ndynamic = [\"version\"]\n";
    }

    /** The remote URL of this repository. */
    public String url() {
        return dir.toUri().toString();
    }

    public Path dir() {
        return dir;
    }

    /** Writes {@code files} (path → content) and commits them; each commit is one minute after the last. */
    public String commit(String message, Map<String, String> files) throws IOException, GitAPIException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path file = dir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        git.add().addFilepattern(".").call();
        PersonIdent who = new PersonIdent("Test", "test@example.com", next(), ZoneOffset.UTC);
        RevCommit c = git.commit()
                .setMessage(message)
                .setAuthor(who)
                .setCommitter(who)
                .call();
        return c.name();
    }

    /** A commit that changes {@code CHANGES.txt}. */
    public String commit(String message) throws IOException, GitAPIException {
        return commit(message, Map.of("CHANGES.txt", message + "\n"));
    }

    /** A lightweight tag on HEAD (its date is the commit's). */
    public GitFixture tag(String name) throws GitAPIException {
        git.tag().setName(name).setAnnotated(false).call();
        return this;
    }

    /** A lightweight tag on {@code commit}, replacing one of that name (a moved tag). */
    public GitFixture tag(String name, String commit) throws GitAPIException, IOException {
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            git.tag()
                    .setName(name)
                    .setAnnotated(false)
                    .setForceUpdate(true)
                    .setObjectId(walk.parseCommit(ObjectId.fromString(commit)))
                    .call();
        }
        return this;
    }

    /** Deletes a tag (a tag deleted at the remote). */
    public GitFixture deleteTag(String name) throws GitAPIException {
        git.tagDelete().setTags(name).call();
        return this;
    }

    /** An annotated tag on HEAD dated {@code when}. */
    public GitFixture annotatedTag(String name, Instant when) throws GitAPIException {
        git.tag()
                .setName(name)
                .setAnnotated(true)
                .setMessage("release " + name)
                .setTagger(new PersonIdent("Test", "test@example.com", when, ZoneOffset.UTC))
                .call();
        return this;
    }

    private Instant next() {
        return START.plusSeconds(60 * clock.incrementAndGet());
    }

    /** Deletes the repository: the remote is gone. */
    public void delete() throws IOException {
        git.close();
        FileTrees.delete(dir);
    }

    @Override
    public void close() {
        git.close();
    }
}
