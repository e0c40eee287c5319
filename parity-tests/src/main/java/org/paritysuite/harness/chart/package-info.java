/**
 * What the charts of the PNG plot ({@code parity train --plot}) and the HTML report share: axes
 * that JFreeChart's defaults would get wrong for this suite's numbers, which span from float64
 * rounding (1e-17) to whole losses.
 */
package org.paritysuite.harness.chart;
