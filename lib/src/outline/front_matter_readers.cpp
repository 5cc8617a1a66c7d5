// SPDX-License-Identifier: MIT
// Each format's parser output as a Value tree, under the budget; and whole
// configuration documents (parse_document) read the same way, then written
// out as JSON.
#include "outline/front_matter_readers.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "outline/front_matter.h"
#include "util/text.h"

namespace taxon::outline {

void Budget::enter(int depth, int line) {
  if (depth > o_.max_front_matter_depth)
    throw ConvertError{"front matter nested too deeply (more than " +
                           std::to_string(o_.max_front_matter_depth) + " levels)",
                       line};
  if (++values_ > o_.max_front_matter_values)
    throw ConvertError{"front matter has more than " + std::to_string(o_.max_front_matter_values) +
                           " values (a YAML alias counts each time it is used)",
                       line};
}

void Budget::text(std::size_t n, int line) {
  bytes_ += n;
  if (bytes_ > o_.max_front_matter_bytes)
    throw ConvertError{"front matter holds more than " + std::to_string(o_.max_front_matter_bytes) +
                           " bytes of text (a YAML alias counts each time it is used)",
                       line};
}

int count_lines(std::string_view s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

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
  if (const auto* t = n.as_table()) {
    v.kind = Value::Kind::Map;
    for (auto&& [k, child] : *t) {
      budget.text(k.str().size(), v.line);
      v.fields.push_back(Field{std::string(k.str()), from_toml(child, depth + 1, budget)});
    }
  } else if (const auto* a = n.as_array()) {
    v.kind = Value::Kind::List;
    for (auto&& child : *a) v.items.push_back(from_toml(child, depth + 1, budget));
  } else if (const auto* s = n.as_string()) {
    v.kind = Value::Kind::Scalar;
    budget.text(s->get().size(), v.line);
    v.text = s->get();
  } else if (const auto* b = n.as_boolean()) {
    v.kind = Value::Kind::Bool;
    v.text = b->get() ? "true" : "false";
  } else if (n.is_integer() || n.is_floating_point()) {
    v.kind = Value::Kind::Number;
    std::ostringstream os;
    if (const auto* i = n.as_integer()) os << i->get();
    if (const auto* f = n.as_floating_point()) os << f->get();
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
