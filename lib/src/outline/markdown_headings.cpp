// SPDX-License-Identifier: MIT
#include "outline/markdown_headings.h"

#include <md4c.h>

#include <cstdlib>
#include <string_view>
#include <utility>

namespace taxon::outline {
namespace {

struct Md4cState {
  const char* base;
  std::size_t size;
  std::vector<RawHeading> headings;
  bool in_heading = false;
  int image_depth = 0;
};

void append_entity(std::string& out, std::string_view e) {
  if (e == "&amp;")
    out += '&';
  else if (e == "&lt;")
    out += '<';
  else if (e == "&gt;")
    out += '>';
  else if (e == "&quot;")
    out += '"';
  else if (e == "&apos;")
    out += '\'';
  else if (e == "&nbsp;")
    out += ' ';
  else if (e.size() > 3 && e[1] == '#') {
    unsigned long cp = (e[2] == 'x' || e[2] == 'X')
                           ? std::strtoul(std::string(e.substr(3)).c_str(), nullptr, 16)
                           : std::strtoul(std::string(e.substr(2)).c_str(), nullptr, 10);
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  } else {
    out.append(e);  // unknown named entity: keep as written
  }
}

int on_enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto* st = static_cast<Md4cState*>(userdata);
  if (type == MD_BLOCK_H) {
    st->in_heading = true;
    st->headings.push_back(
        {static_cast<int>(static_cast<MD_BLOCK_H_DETAIL*>(detail)->level), {}, std::string::npos});
  }
  return 0;
}

int on_leave_block(MD_BLOCKTYPE type, void*, void* userdata) {
  if (type == MD_BLOCK_H) static_cast<Md4cState*>(userdata)->in_heading = false;
  return 0;
}

int on_enter_span(MD_SPANTYPE, void*, void*) { return 0; }
int on_leave_span(MD_SPANTYPE, void*, void*) { return 0; }

int on_text(MD_TEXTTYPE type, const MD_CHAR* text, MD_SIZE size, void* userdata) {
  auto* st = static_cast<Md4cState*>(userdata);
  if (!st->in_heading) return 0;
  RawHeading& h = st->headings.back();
  if (h.offset == std::string::npos && text >= st->base && text < st->base + st->size) {
    h.offset = static_cast<std::size_t>(text - st->base);
  }
  std::string_view t(text, size);
  switch (type) {
    case MD_TEXT_NULLCHAR:
      h.text += "\xEF\xBF\xBD";
      break;
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      h.text += ' ';
      break;
    case MD_TEXT_ENTITY:
      append_entity(h.text, t);
      break;
    case MD_TEXT_HTML:
      break;  // inline tags are markup, not text
    default:
      h.text.append(t);
      break;
  }
  return 0;
}

}  // namespace

bool find_headings(const std::string& masked, std::vector<RawHeading>& headings) {
  Md4cState st{masked.data(), masked.size(), {}, false, 0};
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH | MD_FLAG_TASKLISTS;
  parser.enter_block = on_enter_block;
  parser.leave_block = on_leave_block;
  parser.enter_span = on_enter_span;
  parser.leave_span = on_leave_span;
  parser.text = on_text;
  // parse_page refuses pages over 2 GiB, so the size fits MD_SIZE.
  if (md_parse(masked.data(), static_cast<MD_SIZE>(masked.size()), &parser, &st) != 0) return false;
  headings = std::move(st.headings);
  return true;
}

}  // namespace taxon::outline
