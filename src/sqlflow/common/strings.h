#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sqlflow {

/// Return `text` in ASCII lower case.
std::string ToLower(std::string_view text);
/// Return `text` in ASCII upper case.
std::string ToUpper(std::string_view text);
/// Compare two strings ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
/// Return `text` without leading and trailing ASCII white space.
std::string_view Trim(std::string_view text);
/// Split `text` at every `sep` (empty parts kept).
std::vector<std::string> Split(std::string_view text, char sep);
/// Join `parts` with `sep` between them.
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);

/// Return the optimal-string-alignment distance between two strings (case-insensitive):
/// insertions, deletions, substitutions and swaps of adjacent characters each cost 1.
size_t EditDistance(std::string_view a, std::string_view b);

/// Return the candidate nearest to `word` if it is close enough to be a likely typo
/// (distance ≤ max(1, len/3)), else "". Used for "did you mean" suggestions.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

/// Return whether `text` is valid UTF-8. On failure `*bad_offset` (if given) is the byte
/// offset of the first invalid sequence.
bool IsValidUtf8(std::string_view text, size_t* bad_offset = nullptr);

/// Quote an SQL identifier for DuckDB/PostgreSQL: "a""b".
std::string QuoteIdentifier(std::string_view name);
/// Quote an SQL string literal: 'it''s'.
std::string QuoteLiteral(std::string_view value);

/// Format a byte count for people: "412.3 MB".
std::string FormatBytes(double bytes);

}  // namespace sqlflow
