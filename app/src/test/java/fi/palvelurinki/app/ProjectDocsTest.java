package fi.palvelurinki.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The project stands alone: a user's clone has only what is in it, and the README leads to all of it. */
class ProjectDocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void nothingPointsOutsideTheProject() throws IOException {
        String outside = "../" + "shared";
        List<String> found = new ArrayList<>();
        Files.walkFileTree(ROOT, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path d, java.nio.file.attribute.BasicFileAttributes a) {
                String name = d.getFileName().toString();
                return name.equals(".git") || name.equals("target") || name.equals("node_modules")
                        ? java.nio.file.FileVisitResult.SKIP_SUBTREE : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a)
                    throws IOException {
                try {
                    String text = Files.readString(p, StandardCharsets.UTF_8);
                    if (text.contains(outside) || text.contains("shared/" + "DOMAIN") || text.contains("shared/" + "DESIGN")) {
                        found.add(ROOT.relativize(p).toString());
                    }
                } catch (MalformedInputException binary) {
                    // not text
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        assertThat(found).as("files referring to a directory beside the project").isEmpty();
    }

    @Test
    void theReadmeListsEveryDocumentOnce() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Documentation"));
        Matcher m = Pattern.compile("(?m)^- `(docs/[a-z-]+\\.md)`").matcher(section);
        List<String> listed = new ArrayList<>();
        while (m.find()) {
            listed.add(m.group(1));
        }
        List<String> docs;
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            docs = files.map(p -> "docs/" + p.getFileName()).filter(n -> n.endsWith(".md")).sorted().toList();
        }
        assertThat(listed).doesNotHaveDuplicates();
        assertThat(listed).containsExactlyInAnyOrderElementsOf(docs);
    }
}
