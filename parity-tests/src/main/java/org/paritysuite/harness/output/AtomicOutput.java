package org.paritysuite.harness.output;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.paritysuite.fixtures.FixtureException;

/**
 * Writes every output of the command line (reports, plots, CSV, export bundles) all or nothing.
 *
 * <p>A file is written to a temporary file in its target's directory, flushed to the disk and
 * renamed over the target ({@code rename(2)}: {@link StandardCopyOption#ATOMIC_MOVE}), so a reader,
 * and a run killed at any moment, sees the previous file or the complete new one. A bundle of
 * files (an export) is assembled in a temporary directory beside its target and renamed into place
 * the same way; a previous bundle there is first renamed aside and deleted once the new one is in.
 * On failure the temporary file or directory is deleted; on SIGINT or SIGTERM a shutdown hook
 * deletes the ones still in the making and refuses to publish any more. Only SIGKILL can leave a
 * temporary behind: a hidden {@code .NAME.RANDOM}{@value #TEMPORARY_SUFFIX} beside the target,
 * never the target itself half-written.
 *
 * <p>The {@code require*} methods check a target before any work starts, so a run of minutes is
 * not refused at its end for a path it could never have written.
 */
public final class AtomicOutput {

    /** The ending of every temporary file and directory name, which the kill tests look for. */
    public static final String TEMPORARY_SUFFIX = ".parity-tmp";

    /**
     * A system property for the kill tests: milliseconds to wait after a temporary file or directory
     * is created and before it is written, so a test can kill the process while it exists.
     */
    public static final String PAUSE_PROPERTY = "parity.output.pauseMillis";

    /** Something written to one file. */
    @FunctionalInterface
    public interface Content {
        /** Writes the whole content to {@code out} (closing it is allowed and does nothing). */
        void writeTo(OutputStream out) throws IOException;
    }

    /** The files of a bundle, each added by name. */
    @FunctionalInterface
    public interface BundleContent {
        /** Adds every file of the bundle. */
        void writeInto(Bundle bundle) throws IOException;
    }

    /** A bundle in the making: the temporary directory its files are written into. */
    public static final class Bundle {
        private final Path directory;
        private final Set<String> names;

        private Bundle(Path directory, Set<String> names) {
            this.directory = directory;
            this.names = names;
        }

        /** Writes the file {@code name}, one of the names the bundle was declared with. */
        public void add(String name, Content content) throws IOException {
            if (!names.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not one of the bundle's files " + names);
            }
            Path file = directory.resolve(name);
            Files.createFile(file);
            fill(file, content);
        }
    }

    /** Guards {@link #TEMPORARIES} and {@link #closed}, and makes each rename and the shutdown clean-up exclusive. */
    private static final Object LOCK = new Object();
    private static final Set<Path> TEMPORARIES = new HashSet<>();
    private static boolean closed;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicOutput::deleteTemporaries, "parity-output-cleanup"));
    }

    private AtomicOutput() {
    }

    /**
     * Refuses, with the option's name, a file target that could not be written: no file name, a
     * directory or another non-regular file, a parent directory that is missing, not a directory,
     * or not writable. Missing directories are never created: a typo must not grow a tree.
     */
    public static void requireFile(Path file, String option) {
        Path target = file.toAbsolutePath();
        if (target.getFileName() == null) {
            throw new FixtureException(option + " " + file + ": expected a file name, found the root directory");
        }
        if (Files.isDirectory(target)) {
            throw new FixtureException(option + " " + file + ": is a directory; expected a file name");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new FixtureException(option + " " + file + ": exists and is not a regular file; expected a file name");
        }
        requireParent(file, option);
    }

    /**
     * Refuses, with the option's name, a bundle target that could not be written or must not be
     * replaced: an existing file, or a directory holding anything but the bundle's own {@code names}
     * (a previous bundle is replaced; anything else there is the user's, never deleted).
     */
    public static void requireDirectory(Path dir, String option, Set<String> names) {
        Path target = dir.toAbsolutePath();
        if (target.getFileName() == null) {
            throw new FixtureException(option + " " + dir + ": expected a directory to create, found the root directory");
        }
        if (Files.exists(target) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FixtureException(option + " " + dir + ": is a file; expected a directory that is absent, empty"
                    + " or holds a previous export");
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            String other = foreignEntry(target, names);
            if (other != null) {
                throw new FixtureException(option + " " + dir + ": holds '" + other + "', which the command would not"
                        + " write; expected a directory that is absent, empty or holds only " + String.join(", ", names));
            }
        }
        requireParent(dir, option);
    }

    /**
     * Writes {@code content} to {@code file} all or nothing; {@code what} names it in an error ("the
     * plot"). A missing parent directory is created here, for the library's callers; the command
     * line refuses one before any work ({@link #requireFile}).
     */
    public static void writeFile(Path file, String what, Content content) {
        Path target = file.toAbsolutePath();
        Path temporary = null;
        try {
            Files.createDirectories(target.getParent());
            temporary = create(target, false);
            pause();
            fill(temporary, content);
            publish(temporary, target);
        } catch (IOException e) {
            throw new FixtureException(file + ": cannot write " + what + ": " + e.getMessage(), e);
        } finally {
            discard(temporary);
        }
    }

    /**
     * Writes the bundle {@code names} into the directory {@code dir} all or nothing: assembled in a
     * temporary directory beside it, then renamed into place (replacing an empty directory or a
     * previous bundle, see {@link #requireDirectory}).
     */
    public static void writeDirectory(Path dir, String what, Set<String> names, BundleContent content) {
        Path target = dir.toAbsolutePath();
        Path temporary = null;
        Path previous = null;
        try {
            temporary = create(target, true);
            pause();
            content.writeInto(new Bundle(temporary, Set.copyOf(names)));
            previous = publishDirectory(temporary, target, names);
        } catch (IOException e) {
            throw new FixtureException(dir + ": cannot write " + what + ": " + e.getMessage(), e);
        } finally {
            discard(temporary);
            discard(previous);
        }
    }

    private static void requireParent(Path path, String option) {
        Path parent = path.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            throw new FixtureException(option + " " + path + ": the directory " + parent
                    + " does not exist; expected an existing directory (it is not created)");
        }
        if (!Files.isDirectory(parent)) {
            throw new FixtureException(option + " " + path + ": " + parent + " is not a directory");
        }
        if (!Files.isWritable(parent)) {
            throw new FixtureException(option + " " + path + ": the directory " + parent + " is not writable");
        }
    }

    /** The first entry of {@code dir} that is not one of {@code names} (a temporary counts), or null. */
    private static String foreignEntry(Path dir, Set<String> names) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !names.contains(n)).sorted()
                    .findFirst().orElse(null);
        } catch (IOException e) {
            throw new FixtureException(dir + ": cannot list the directory: " + e.getMessage(), e);
        }
    }

    /** A new, registered temporary file or directory beside {@code target}, with the default permissions. */
    private static Path create(Path target, boolean directory) throws IOException {
        synchronized (LOCK) {
            refuseWhenClosed();
            while (true) {
                Path temporary = temporaryBeside(target);
                try {
                    if (directory) {
                        Files.createDirectory(temporary);
                    } else {
                        Files.createFile(temporary);
                    }
                    TEMPORARIES.add(temporary);
                    return temporary;
                } catch (FileAlreadyExistsException taken) {
                    // another random name
                }
            }
        }
    }

    private static Path temporaryBeside(Path target) {
        String name = target.getFileName().toString();
        // Cut long names: the temporary's name must stay within the file system's 255 bytes.
        String stem = name.length() > 64 ? name.substring(0, 64) : name;
        return target.resolveSibling("." + stem + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                + TEMPORARY_SUFFIX);
    }

    /** Writes {@code content} into the existing empty {@code file} and forces it to the disk. */
    private static void fill(Path file, Content content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
            content.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    // Writers such as Jackson close their target; the channel must stay open to be forced.
                    out.flush();
                }
            });
            out.flush();
            // Without it a crash shortly after the rename can leave the new name on an empty file.
            channel.force(true);
        }
    }

    private static void publish(Path temporary, Path target) throws IOException {
        synchronized (LOCK) {
            refuseWhenClosed();
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            TEMPORARIES.remove(temporary);
        }
    }

    /** Renames the bundle into place; returns the previous bundle, renamed aside, to delete (or null). */
    private static Path publishDirectory(Path temporary, Path target, Set<String> names) throws IOException {
        synchronized (LOCK) {
            refuseWhenClosed();
            Path previous = null;
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && foreignEntry(target, Set.of()) != null) {
                // Checked again: files may have appeared since the start; they are the user's, never deleted.
                String other = foreignEntry(target, names);
                if (other != null) {
                    throw new IOException("'" + other + "' appeared in the directory while the command ran; it is"
                            + " left alone and nothing was written");
                }
                previous = temporaryBeside(target);
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE);
                TEMPORARIES.add(previous);
            }
            try {
                // rename(2) replaces an empty directory, and only an empty one.
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (previous != null) {
                    Files.move(previous, target, StandardCopyOption.ATOMIC_MOVE);
                    TEMPORARIES.remove(previous);
                }
                throw e;
            }
            TEMPORARIES.remove(temporary);
            return previous;
        }
    }

    private static void refuseWhenClosed() throws IOException {
        if (closed) {
            throw new IOException("the process is shutting down; nothing more is written");
        }
    }

    private static void pause() {
        long millis = Long.getLong(PAUSE_PROPERTY, 0L);
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes {@code path} (recursively) if it is still a registered temporary. */
    private static void discard(Path path) {
        if (path == null) {
            return;
        }
        synchronized (LOCK) {
            if (TEMPORARIES.remove(path)) {
                delete(path);
            }
        }
    }

    /** The shutdown hook: no more renames, and every temporary still in the making deleted. */
    private static void deleteTemporaries() {
        synchronized (LOCK) {
            closed = true;
            List<Path> left = new ArrayList<>(TEMPORARIES);
            TEMPORARIES.clear();
            left.forEach(AtomicOutput::delete);
        }
    }

    private static void delete(Path path) {
        try {
            Path doomed = path;
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                // Renamed first: a writer still running can no longer create files under the old name.
                doomed = temporaryBeside(path);
                Files.move(path, doomed, StandardCopyOption.ATOMIC_MOVE);
            }
            try (Stream<Path> all = Files.walk(doomed)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // A clean-up that fails leaves a hidden temporary, never a damaged target.
        }
    }
}
