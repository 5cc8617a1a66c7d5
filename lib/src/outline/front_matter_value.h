// SPDX-License-Identifier: MIT
// The tree every front-matter format is read into. Each format's parser
// output becomes the same small tree of `Value`s (front_matter_readers.h),
// so the rules for the keys taxon knows (which types they may have, how
// lists and singular/plural spellings merge) exist once
// (front_matter_fields.cpp).
#ifndef TAXON_OUTLINE_FRONT_MATTER_VALUE_H_
#define TAXON_OUTLINE_FRONT_MATTER_VALUE_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "taxon/page.h"

namespace taxon::outline {

struct Field;

struct Value {
  enum class Kind { Null, Scalar, Bool, Number, List, Map };
  Kind kind = Kind::Null;
  std::string text;  // scalars, bools and numbers as text
  std::vector<Value> items;
  std::vector<Field> fields;
  int line = 0;  // 1-based line within the front-matter text, 0 unknown
};

struct Field {
  std::string key;
  Value value;
};

/// Thrown while a tree is converted or read: a value over the budget or of
/// the wrong type. `line` is 1-based within the front-matter text, 0 unknown.
struct ConvertError {
  std::string message;
  int line;
};

/// What the front matter may still hold. Every value converted and every
/// byte of string and key text is charged, so YAML aliases, which yaml-cpp's
/// node tree shares but the conversion copies, cannot blow a small document
/// up into billions of values or gigabytes of text.
class Budget {
 public:
  explicit Budget(const ParseOptions& o) : o_(o) {}

  /// Charges one value at nesting `depth`; throws ConvertError past a limit.
  void enter(int depth, int line);
  /// Charges `n` bytes of text; throws ConvertError past the limit.
  void text(std::size_t n, int line);

 private:
  const ParseOptions& o_;
  std::size_t values_ = 0;
  std::size_t bytes_ = 0;
};

/// Newlines in `s`.
int count_lines(std::string_view s);

/// Sets the fields of `fm` from the front matter's root table `root`; keys
/// taxon does not know become params. Throws ConvertError.
void apply(const Value& root, FrontMatter& fm, const ParseOptions& options);

}  // namespace taxon::outline

#endif  // TAXON_OUTLINE_FRONT_MATTER_VALUE_H_
