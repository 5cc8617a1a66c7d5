// SPDX-License-Identifier: MIT
// Each format's parser turns its document into the same small tree of
// `Value`s, so the rules for the keys taxon knows (which types they may
// have, how lists and singular/plural spellings merge) exist once.
#include "outline/front_matter.h"

#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <vector>

#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "util/text.h"

namespace taxon::outline {
namespace {

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

struct ConvertError {
  std::string message;
  int line;
};

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

// What the front matter may still hold. Every value converted and every byte
// of string and key text is charged, so YAML aliases, which yaml-cpp's node
// tree shares but the conversion copies, cannot blow a small document up
// into billions of values or gigabytes of text.
class Budget {
 public:
  explicit Budget(const ParseOptions& o) : o_(o) {}

  void enter(int depth, int line) {
    if (depth > o_.max_front_matter_depth)
      throw ConvertError{"front matter nested too deeply (more than " +
                             std::to_string(o_.max_front_matter_depth) + " levels)",
                         line};
    if (++values_ > o_.max_front_matter_values)
      throw ConvertError{"front matter has more than " +
                             std::to_string(o_.max_front_matter_values) +
                             " values (a YAML alias counts each time it is used)",
                         line};
  }

  void text(std::size_t n, int line) {
    bytes_ += n;
    if (bytes_ > o_.max_front_matter_bytes)
      throw ConvertError{"front matter holds more than " +
                             std::to_string(o_.max_front_matter_bytes) +
                             " bytes of text (a YAML alias counts each time it is used)",
                         line};
  }

 private:
  const ParseOptions& o_;
  std::size_t values_ = 0;
  std::size_t bytes_ = 0;
};

// ---- YAML ----
Value from_yaml(const YAML::Node& n, int depth, Budget& budget) {
  Value v;
  v.line = n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
  budget.enter(depth, v.line);
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      v.kind = Value::Kind::Null;
      break;
    case YAML::NodeType::Scalar: {
      budget.text(n.Scalar().size(), v.line);
      v.text = n.Scalar();
      // Plain (untagged "?") scalars may be booleans or numbers; quoted ones ("!") are strings.
      if (n.Tag() == "?") {
        static const char* kTrue[] = {"true", "True", "TRUE", "yes", "Yes", "on", "On"};
        static const char* kFalse[] = {"false", "False", "FALSE", "no", "No", "off", "Off"};
        for (const char* t : kTrue)
          if (v.text == t) v.kind = Value::Kind::Bool, v.text = "true";
        for (const char* f : kFalse)
          if (v.text == f) v.kind = Value::Kind::Bool, v.text = "false";
        if (v.kind == Value::Kind::Null) {
          char* end = nullptr;
          std::strtod(v.text.c_str(), &end);
          bool numeric = !v.text.empty() && end && *end == '\0' &&
                         v.text.find_first_not_of("0123456789+-.eE") == std::string::npos;
          v.kind = numeric ? Value::Kind::Number : Value::Kind::Scalar;
        }
      } else {
        v.kind = Value::Kind::Scalar;
      }
      break;
    }
    case YAML::NodeType::Sequence:
      v.kind = Value::Kind::List;
      for (const auto& item : n) v.items.push_back(from_yaml(item, depth + 1, budget));
      break;
    case YAML::NodeType::Map:
      v.kind = Value::Kind::Map;
      for (const auto& kv : n) {
        std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
        budget.text(key.size(), v.line);
        v.fields.push_back(Field{key, from_yaml(kv.second, depth + 1, budget)});
      }
      break;
  }
  return v;
}

// ---- TOML ----
Value from_toml(const toml::node& n, int depth, Budget& budget) {
  Value v;
  v.line = static_cast<int>(n.source().begin.line);
  budget.enter(depth, v.line);
  if (auto* t = n.as_table()) {
    v.kind = Value::Kind::Map;
    for (auto&& [k, child] : *t) {
      budget.text(k.str().size(), v.line);
      v.fields.push_back(Field{std::string(k.str()), from_toml(child, depth + 1, budget)});
    }
  } else if (auto* a = n.as_array()) {
    v.kind = Value::Kind::List;
    for (auto&& child : *a) v.items.push_back(from_toml(child, depth + 1, budget));
  } else if (auto* s = n.as_string()) {
    v.kind = Value::Kind::Scalar;
    budget.text(s->get().size(), v.line);
    v.text = s->get();
  } else if (auto* b = n.as_boolean()) {
    v.kind = Value::Kind::Bool;
    v.text = b->get() ? "true" : "false";
  } else if (n.is_integer() || n.is_floating_point()) {
    v.kind = Value::Kind::Number;
    std::ostringstream os;
    if (auto* i = n.as_integer()) os << i->get();
    if (auto* f = n.as_floating_point()) os << f->get();
    v.text = os.str();
  } else {
    // dates and times
    v.kind = Value::Kind::Scalar;
    std::ostringstream os;
    n.visit([&os](auto&& x) { os << x; });
    v.text = os.str();
  }
  return v;
}

// ---- JSON ----
Value from_json(const nlohmann::json& j, int depth, Budget& budget) {
  Value v;
  budget.enter(depth, 0);
  if (j.is_object()) {
    v.kind = Value::Kind::Map;
    for (auto it = j.begin(); it != j.end(); ++it) {
      budget.text(it.key().size(), 0);
      v.fields.push_back(Field{it.key(), from_json(it.value(), depth + 1, budget)});
    }
  } else if (j.is_array()) {
    v.kind = Value::Kind::List;
    for (const auto& item : j) v.items.push_back(from_json(item, depth + 1, budget));
  } else if (j.is_string()) {
    v.kind = Value::Kind::Scalar;
    budget.text(j.get_ref<const std::string&>().size(), 0);
    v.text = j.get<std::string>();
  } else if (j.is_boolean()) {
    v.kind = Value::Kind::Bool;
    v.text = j.get<bool>() ? "true" : "false";
  } else if (j.is_number()) {
    v.kind = Value::Kind::Number;
    v.text = j.dump();
  }
  return v;
}

// ---- the keys taxon knows ----
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
      for (const auto& [k, child] : v.fields)
        flatten_params(child, prefix + "." + k, fm, depth + 1, size);
      break;
    case Value::Kind::Null:
      break;
  }
}

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

// The line after the opening delimiter line ends; npos if none.
std::size_t after_line(std::string_view text, std::size_t from) {
  std::size_t nl = text.find('\n', from);
  return nl == std::string_view::npos ? text.size() : nl + 1;
}

bool line_is(std::string_view text, std::size_t start, std::string_view delim, std::size_t* next) {
  std::size_t end = text.find('\n', start);
  std::string_view line =
      text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.remove_suffix(1);
  if (line != delim) return false;
  *next = end == std::string_view::npos ? text.size() : end + 1;
  return true;
}

// Finds the closing delimiter line; returns {start of that line, offset after it}.
bool find_closing(std::string_view text, std::size_t from, std::string_view delim,
                  std::string_view alt, std::size_t* close_start, std::size_t* after) {
  std::size_t pos = from;
  while (pos < text.size()) {
    if (line_is(text, pos, delim, after) || (!alt.empty() && line_is(text, pos, alt, after))) {
      *close_start = pos;
      return true;
    }
    pos = after_line(text, pos);
  }
  return false;
}

// End of a JSON object starting at `text[0] == '{'`, honouring strings.
std::size_t json_object_end(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '{' || c == '[')
      ++depth;
    else if (c == '}' || c == ']') {
      if (--depth == 0) return i + 1;
    }
  }
  return std::string_view::npos;
}

// "{" then a quoted key or "}": a JSON object, not a shortcode ("{{<") or prose.
bool starts_json_object(std::string_view text) {
  if (text.empty() || text[0] != '{') return false;
  std::size_t i = text.find_first_not_of(" \t\r\n", 1);
  return i != std::string_view::npos && (text[i] == '"' || text[i] == '}');
}

int count_lines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

}  // namespace

FrontMatterBlock parse_front_matter(std::string_view text, FrontMatter& out,
                                    const ParseOptions& options) {
  FrontMatterBlock block;
  std::size_t body_start = 0;
  int first_line = 2;  // file line of the first front-matter line
  Budget budget(options);
  // Checked before any parser sees the text.
  auto too_big = [&](std::size_t bytes) {
    if (bytes <= options.max_front_matter_bytes) return false;
    block.ok = false;
    block.error_line = 1;
    block.error = "front matter of " + std::to_string(bytes) + " bytes is over the limit of " +
                  std::to_string(options.max_front_matter_bytes) + " bytes";
    return true;
  };
  try {
    if (line_is(text, 0, "---", &body_start)) {
      block.present = true;
      std::size_t close = 0, after = 0;
      if (!find_closing(text, body_start, "---", "...", &close, &after)) {
        block.ok = false;
        block.error_line = 1;
        block.error = "unterminated YAML front matter: no closing '---' line";
        block.end = text.size();
        return block;
      }
      block.end = after;
      if (too_big(close - body_start)) return block;
      std::string yaml(text.substr(body_start, close - body_start));
      YAML::Node node;
      try {
        node = YAML::Load(yaml);
      } catch (const YAML::Exception& e) {
        block.ok = false;
        block.error_line = first_line + (e.mark.line >= 0 ? e.mark.line : 0);
        block.error = "invalid YAML front matter: " + e.msg;
        return block;
      }
      try {
        // yaml-cpp loads an alias as a second reference to its anchor's
        // node, so loading is cheap; only this conversion copies, under the
        // budget.
        Value v = from_yaml(node, 0, budget);
        apply(v, out, options);
      } catch (ConvertError& e) {
        e.line = e.line > 0 ? e.line + first_line - 1 : 1;
        throw;
      }
      if (out.title_line > 0) out.title_line += first_line - 1;
    } else if (line_is(text, 0, "+++", &body_start)) {
      block.present = true;
      std::size_t close = 0, after = 0;
      if (!find_closing(text, body_start, "+++", "", &close, &after)) {
        block.ok = false;
        block.error_line = 1;
        block.error = "unterminated TOML front matter: no closing '+++' line";
        block.end = text.size();
        return block;
      }
      block.end = after;
      if (too_big(close - body_start)) return block;
      std::string toml_text(text.substr(body_start, close - body_start));
      toml::table tbl;
      try {
        tbl = toml::parse(toml_text);
      } catch (const toml::parse_error& e) {
        block.ok = false;
        block.error_line = first_line - 1 + static_cast<int>(e.source().begin.line);
        block.error = "invalid TOML front matter: " + std::string(e.description());
        return block;
      }
      try {
        Value v = from_toml(tbl, 0, budget);
        v.line = 0;
        apply(v, out, options);
      } catch (ConvertError& e) {
        e.line = e.line > 0 ? e.line + first_line - 1 : 1;
        throw;
      }
      if (out.title_line > 0) out.title_line += first_line - 1;
    } else if (starts_json_object(text)) {
      block.present = true;
      std::size_t end = json_object_end(text);
      if (end == std::string_view::npos) {
        block.ok = false;
        block.error_line = 1;
        block.error = "unterminated JSON front matter: no closing '}'";
        block.end = text.size();
        return block;
      }
      block.end = after_line(text, end);
      if (too_big(end)) return block;
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(text.substr(0, end));
      } catch (const nlohmann::json::parse_error& e) {
        block.ok = false;
        block.error_line = 1 + count_lines(text.substr(0, std::min<std::size_t>(e.byte, end)));
        block.error = std::string("invalid JSON front matter: ") + e.what();
        return block;
      }
      try {
        Value v = from_json(j, 0, budget);
        apply(v, out, options);
      } catch (ConvertError& e) {
        e.line = e.line > 0 ? e.line : 1;
        throw;
      }
    }
  } catch (const ConvertError& e) {
    block.ok = false;
    block.error_line = e.line;
    block.error = e.message;
  } catch (const std::exception& e) {
    block.ok = false;
    block.error_line = 1;
    block.error = std::string("invalid front matter: ") + e.what();
  }
  return block;
}

namespace {

nlohmann::json to_json(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Null:
      return nullptr;
    case Value::Kind::Scalar:
      return v.text;
    case Value::Kind::Bool:
      return v.text == "true";
    case Value::Kind::Number: {
      char* end = nullptr;
      const double d = std::strtod(v.text.c_str(), &end);
      return end && *end == '\0' ? nlohmann::json(d) : nlohmann::json(v.text);
    }
    case Value::Kind::List: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& item : v.items) a.push_back(to_json(item));
      return a;
    }
    case Value::Kind::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& f : v.fields) o[util::ascii_lower(f.key)] = to_json(f.value);
      return o;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::json parse_document(std::string_view text, DocumentFormat format,
                              const ParseOptions& options) {
  if (text.size() > options.max_front_matter_bytes)
    throw std::runtime_error("file of " + std::to_string(text.size()) +
                             " bytes is over the limit of " +
                             std::to_string(options.max_front_matter_bytes));
  Budget budget(options);
  try {
    switch (format) {
      case DocumentFormat::Yaml: {
        YAML::Node node;
        try {
          node = YAML::Load(std::string(text));
        } catch (const YAML::Exception& e) {
          throw ConvertError{"invalid YAML: " + e.msg, e.mark.line >= 0 ? e.mark.line + 1 : 0};
        }
        return to_json(from_yaml(node, 0, budget));
      }
      case DocumentFormat::Toml: {
        toml::table tbl;
        try {
          tbl = toml::parse(text);
        } catch (const toml::parse_error& e) {
          throw ConvertError{"invalid TOML: " + std::string(e.description()),
                             static_cast<int>(e.source().begin.line)};
        }
        return to_json(from_toml(tbl, 0, budget));
      }
      case DocumentFormat::Json: {
        nlohmann::json j;
        try {
          j = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& e) {
          throw ConvertError{std::string("invalid JSON: ") + e.what(),
                             1 + count_lines(text.substr(0, std::min(e.byte, text.size())))};
        }
        return to_json(from_json(j, 0, budget));
      }
    }
  } catch (const ConvertError& e) {
    // The budget's messages speak of front matter; here it is the whole file.
    std::string why = e.message;
    if (why.rfind("front matter ", 0) == 0) why.replace(0, 12, "the file");
    throw std::runtime_error(
        (e.line > 0 ? "line " + std::to_string(e.line) + ": " : std::string()) + why);
  }
  return nullptr;
}

}  // namespace taxon::outline
