// SPDX-License-Identifier: MIT
// The keys taxon knows, read from the front matter's Value tree: which types
// each may have, how lists and singular/plural spellings merge; the other
// keys become params.
#include <cstdlib>
#include <string>
#include <vector>

#include "outline/front_matter_value.h"
#include "util/text.h"

namespace taxon::outline {
namespace {

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::Null:
      return "null";
    case Value::Kind::Scalar:
      return "a string";
    case Value::Kind::Bool:
      return "a boolean";
    case Value::Kind::Number:
      return "a number";
    case Value::Kind::List:
      return "a list";
    case Value::Kind::Map:
      return "a table";
  }
  return "?";
}

std::string as_text(const Value& v, const char* key) {
  if (v.kind == Value::Kind::Null) return {};
  if (v.kind == Value::Kind::List || v.kind == Value::Kind::Map) {
    throw ConvertError{std::string(key) + " must be a string, not " + kind_name(v.kind), v.line};
  }
  return v.text;
}

void add_strings(const Value& v, const char* key, std::vector<std::string>& out) {
  auto bad = [&](const Value& x) {
    return ConvertError{
        std::string(key) + " must be a string or a list of strings, not " + kind_name(x.kind),
        x.line};
  };
  if (v.kind == Value::Kind::Null) return;
  if (v.kind == Value::Kind::Scalar) {
    if (!v.text.empty()) out.push_back(v.text);
    return;
  }
  if (v.kind != Value::Kind::List) throw bad(v);
  for (const auto& item : v.items) {
    if (item.kind == Value::Kind::Null) continue;
    if (item.kind != Value::Kind::Scalar) throw bad(item);
    if (!item.text.empty()) out.push_back(item.text);
  }
}

// There is at most one param a value, and its text comes from the tree, both
// bounded by the Budget; but every param repeats the keys of the tables above
// it, so what the params hold is counted again, against the same byte limit.
struct ParamsSize {
  std::size_t limit;
  std::size_t bytes = 0;
  void add(const std::string& key, const std::string& value, int line) {
    bytes += key.size() + value.size();
    if (bytes > limit)
      throw ConvertError{"front matter params come to more than " + std::to_string(limit) +
                             " bytes (each param repeats the keys of the tables above it)",
                         line};
  }
};

void flatten_params(const Value& v, const std::string& prefix, FrontMatter& fm, int depth,
                    ParamsSize& size) {
  if (depth > 4) return;
  switch (v.kind) {
    case Value::Kind::Scalar:
    case Value::Kind::Bool:
    case Value::Kind::Number:
      size.add(prefix, v.text, v.line);
      fm.params[prefix] = v.text;
      break;
    case Value::Kind::List: {
      std::string joined;
      for (const auto& item : v.items) {
        if (item.kind == Value::Kind::List || item.kind == Value::Kind::Map) continue;
        if (!joined.empty()) joined += ", ";
        joined += item.text;
      }
      size.add(prefix, joined, v.line);
      fm.params[prefix] = joined;
      break;
    }
    case Value::Kind::Map:
      for (const auto& [k, child] : v.fields) {
        std::string key = prefix;
        key.append(".").append(k);
        flatten_params(child, key, fm, depth + 1, size);
      }
      break;
    case Value::Kind::Null:
      break;
  }
}

}  // namespace

void apply(const Value& root, FrontMatter& fm, const ParseOptions& options) {
  ParamsSize params_size{options.max_front_matter_bytes};
  if (root.kind == Value::Kind::Null) return;
  if (root.kind != Value::Kind::Map) {
    throw ConvertError{
        std::string("front matter must be a table of keys, not ") + kind_name(root.kind),
        root.line};
  }
  for (const auto& [raw_key, v] : root.fields) {
    const std::string key = util::ascii_lower(raw_key);
    if (key == "title") {
      fm.title = util::squeeze_spaces(as_text(v, "title"));
      fm.title_line = v.line;
    } else if (key == "category" || key == "categories") {
      add_strings(v, raw_key.c_str(), fm.categories);
    } else if (key == "tag" || key == "tags") {
      add_strings(v, raw_key.c_str(), fm.tags);
    } else if (key == "date") {
      fm.date = as_text(v, "date");
    } else if (key == "lang" || key == "language") {
      fm.lang = as_text(v, raw_key.c_str());
    } else if (key == "slug") {
      fm.slug = as_text(v, "slug");
    } else if (key == "url") {
      fm.url = as_text(v, "url");
    } else if (key == "draft") {
      if (v.kind == Value::Kind::Null) continue;
      if (v.kind != Value::Kind::Bool &&
          !(v.kind == Value::Kind::Scalar && (v.text == "true" || v.text == "false"))) {
        throw ConvertError{std::string("draft must be true or false, not ") + kind_name(v.kind),
                           v.line};
      }
      fm.draft = v.text == "true";
    } else if (key == "weight") {
      if (v.kind == Value::Kind::Null) continue;
      if (v.kind != Value::Kind::Number) {
        throw ConvertError{std::string("weight must be a number, not ") + kind_name(v.kind),
                           v.line};
      }
      fm.weight = std::strtol(v.text.c_str(), nullptr, 10);
    } else {
      flatten_params(v, raw_key, fm, 0, params_size);
    }
  }
}

}  // namespace taxon::outline
