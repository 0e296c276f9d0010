/**
 * The study's answer as one self-contained HTML file: ranked configurations with intervals, and plots (learning
 * curves over seeds, accuracy by hyperparameter, accuracy against cost with the Pareto front) drawn with XChart.
 */
package dev.sparksweep.report;
