//! Merging runs from several hosts into one report. (Being written.)
