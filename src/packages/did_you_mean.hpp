// "Did you mean ...?" for names a user mistyped: type names, units, manifest keys.
//
// closest_name() returns the candidate nearest to `wrong` by Damerau–Levenshtein
// distance (optimal string alignment: insertions, deletions, substitutions and
// transpositions of adjacent characters each cost 1), compared without regard to
// ASCII case, so "force" finds "Force" and "Forse" finds "Force". A candidate is
// offered only when the distance is at most a third of the longer of the two names,
// rounded down (so names of one or two characters match only by case): beyond that
// the suggestion is noise. Ties go to the earlier
// candidate, so callers list the likelier names first.
//
// Written here rather than taken from a library: no maintained C++ string-distance
// library is packaged for the platform's build images, and the algorithm is the
// textbook dynamic programme (Damerau 1964; Wagner–Fischer 1974) over short names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mecapy::packages {

// The edit distance between `a` and `b`, ASCII case ignored.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `wrong`, or nullopt when none is close enough.
std::optional<std::string> closest_name(std::string_view wrong, const std::vector<std::string>& candidates);

}  // namespace mecapy::packages
