/**
 * The HTML report of {@code parity verify --html} and {@code parity train --html}: one file that a
 * browser opens with no network, for the reader who wants to see a run rather than read a table.
 *
 * <p>Two steps, kept apart: {@link org.paritysuite.harness.html.HtmlReport} assembles an
 * {@link org.paritysuite.harness.html.HtmlPage} from a run's results (plain values, and charts and
 * thumbnails already rendered as PNG {@code data:} URIs), and
 * {@link org.paritysuite.harness.html.HtmlWriter} writes it, escaping every text, through
 * {@code harness.output.AtomicOutput} (all or nothing). The pieces each do one thing:
 * {@link org.paritysuite.harness.html.HtmlCharts} draws with JFreeChart (the library of
 * {@code parity train}'s plot; no drawing code of our own),
 * {@link org.paritysuite.harness.html.Thumbnails} turns input images into tiny PNGs,
 * {@link org.paritysuite.harness.html.ConfusionMatrix} counts one side's predictions, and
 * {@link org.paritysuite.harness.html.LayerErrorMapping} is the one place where a case's checks
 * become the per-layer errors the charts draw ({@link org.paritysuite.harness.html.LayerChartRow}:
 * inherited beside local, the local errors to come from layer-by-layer runs).
 *
 * <p>Nothing here judges: verdicts, tolerances and errors are the harness's own, shown as they are.
 * See {@code docs/html-report.md}.
 */
package org.paritysuite.harness.html;
