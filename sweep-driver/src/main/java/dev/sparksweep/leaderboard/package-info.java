/**
 * The results: one Parquet row per finished trial (parameters, metrics, provenance) and one per learning-curve point,
 * appended durably as trials finish and queried with Spark SQL.
 */
package dev.sparksweep.leaderboard;
