package dev.wheelwright.upstream.file;

import dev.wheelwright.python.ProjectName;
import dev.wheelwright.upstream.PageParser;
import dev.wheelwright.upstream.UpstreamIndex;
import dev.wheelwright.upstream.UpstreamUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;

/**
 * A static simple index in a local directory tree ({@code file:///srv/simple/}): the page of a project is
 * {@code <root>/<normalized>/index.json} (PEP 691 JSON) when present, else {@code index.html}; relative links resolve
 * against the page, so {@code ../../files/x.whl} works. A page whose modification time and size are unchanged
 * answers "not modified". Thread-safe.
 */
public final class FileUpstreamIndex implements UpstreamIndex {
    private final String name;
    private final Path root;
    private final PageParser pages;

    public FileUpstreamIndex(String name, URI url, PageParser pages) {
        this.name = Objects.requireNonNull(name);
        this.root = Path.of(url);
        this.pages = Objects.requireNonNull(pages);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PageFetch page(ProjectName project, Optional<String> etag, Optional<String> lastModified) {
        Path dir = root.resolve(project.normalized());
        Path json = dir.resolve("index.json");
        Path page = Files.isRegularFile(json) ? json : dir.resolve("index.html");
        try {
            BasicFileAttributes attrs = Files.readAttributes(page, BasicFileAttributes.class);
            String tag = "\"" + attrs.lastModifiedTime().toMillis() + "-" + attrs.size() + "\"";
            if (etag.isPresent() && etag.get().equals(tag)) {
                return new NotModified();
            }
            byte[] bytes = Files.readAllBytes(page);
            String type = page == json ? PageParser.JSON_TYPE : "text/html; charset=utf-8";
            return new Found(pages.parse(bytes, type, page.toUri(), Optional.of(tag), Optional.empty()));
        } catch (NoSuchFileException e) {
            return new NotFound();
        } catch (IOException e) {
            throw new UpstreamUnavailableException(
                    "Cannot read the page of " + project.normalized() + " from upstream " + name + ".", e);
        }
    }

    @Override
    public Download open(URI url) {
        if (!"file".equals(url.getScheme())) {
            throw new UpstreamUnavailableException(
                    "Upstream " + name + " links to " + url + ", which is not a file: URL.");
        }
        Path file = Path.of(url);
        try {
            long size = Files.size(file);
            InputStream in = Files.newInputStream(file);
            return new Download(in, Optional.of(size));
        } catch (IOException e) {
            throw new UpstreamUnavailableException(
                    "Upstream " + name + " has no readable file " + file.getFileName() + ".", e);
        }
    }
}
