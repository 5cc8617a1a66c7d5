// SPDX-License-Identifier: MIT
// Rewrites a user's query so that Xapian's QueryParser sees words exactly as
// the Analyzer indexed them, while operators, quotes, parentheses, +/-,
// wildcards and field:value pairs pass through untouched.
#ifndef TAXON_SEARCH_QUERY_TEXT_H_
#define TAXON_SEARCH_QUERY_TEXT_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "taxon/analyzer.h"
#include "taxon/searcher.h"

namespace taxon::search {

/// True for the QueryParser's operators as the user types them: AND, OR,
/// NOT, XOR, NEAR, ADJ, NEAR/n, ADJ/n.
bool is_operator(std::string_view word);

/// The query with every free-text word replaced by its normalized form(s).
/// Field values are kept raw: their FieldProcessors normalize them.
std::string normalize_query(std::string_view query, Analyzer& analyzer,
                            const std::set<std::string, std::less<>>& fields);

/// The internal field a free-text wildcard is rewritten to (see mark_wildcards).
inline constexpr std::string_view kWildcardField = "taxonwildcard";

/// Rewrites each free-text `word*` of `q`, a normalized query (not in quotes,
/// not a field value), as `taxonwildcard:word`, and with `partial` also the last
/// word (search as you type): the index holds only stems, so a field
/// processor expands the prefix over the vocabulary instead of Xapian.
std::string mark_wildcards(std::string_view q, bool partial);

/// Xapian's QueryParser (1.4) hands a free-text field's FieldProcessor
/// neither a quoted value (`label:"debris mitigation"`) nor a wildcard
/// (`label:deb*`): it returns an empty query. So before parsing, the values
/// of these fields in `q`, a normalized query, are hidden as one plain token,
/// 'h' and the value's bytes in hex, which decode_field_value() undoes.
std::string hide_field_values(std::string_view q, const std::set<std::string, std::less<>>& fields);

/// A value hidden by hide_field_values(), or `token` itself when it is not one.
std::string decode_field_value(std::string_view token);

/// True when a NEAR or ADJ operator of `q` (the text given to the
/// QueryParser) stands next to a wildcard, an excluded word (`-word`) or a
/// value of one of `fields` (outside quotes). Xapian refuses these only after it has parsed them,
/// and on that path its parser (1.4) leaks memory, so they are refused first.
bool window_op_beside_non_word(std::string_view q,
                               const std::set<std::string, std::less<>>& fields);

/// The last word of `q`, a normalized query, when it is a free-text word a person
/// may still be typing: not quoted, not a field value, not an operator, not
/// excluded (`-word`), not already a prefix (`word*`); "" otherwise.
std::string last_plain_word(std::string_view q);

/// The values of `field:value` and `field:"value"` in `q`, a normalized query.
std::vector<std::string> field_values(std::string_view q, std::string_view field);

/// Why `q`, a normalized query, is refused before it is parsed, or "": its
/// parentheses do not balance (outside quotes), nest deeper than
/// limits.max_depth, or it has more words, under:/page: values or wildcards
/// (with `partial`, the last word is one) than `limits` allow.
std::string check_query(std::string_view q, bool partial, const QueryLimits& limits);

/// The start of a query for a message, cut at a character boundary with
/// '…' when it is longer than `max_bytes`.
std::string cut_for_message(std::string_view query, std::size_t max_bytes = 60);

}  // namespace taxon::search

#endif  // TAXON_SEARCH_QUERY_TEXT_H_
