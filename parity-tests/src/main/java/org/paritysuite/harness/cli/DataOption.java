package org.paritysuite.harness.cli;

import org.paritysuite.fixtures.data.ImageSource;
import picocli.CommandLine.Option;

/**
 * {@code --data}: where the images come from, for {@code train} and for the commands that choose
 * cases through {@link CaseSelection} ({@code verify}, {@code export}, {@code bench},
 * {@code explain}). One option, one meaning: {@link ImageSource} decides.
 */
final class DataOption {

    @Option(names = "--data", paramLabel = "shipped|full|DIR", description = {"Where the images come from:"
            + " shipped (the committed 1,000-image subsets, the default), full (the full sets scripts/build-datasets.sh"
            + " writes into data/, or where $" + ImageSource.DATA_ENVIRONMENT + " points) or DIR (a directory holding"
            + " that script's output: mnist/ and fashion-mnist/ with IDX files)."})
    String data;

    private ImageSource images;

    /** The source {@code --data} names, checked on first use and then kept, so its images are read once. */
    ImageSource images() {
        if (images == null) {
            images = data == null ? ImageSource.SHIPPED : ImageSource.fromOption(data, System::getenv);
        }
        return images;
    }
}
