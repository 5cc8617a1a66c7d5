// SPDX-License-Identifier: MIT
// taxon-bench-gen: writes a synthetic corpus of heading maps for the
// benchmarks, the same bytes for the same arguments on every platform.
//
//   taxon-bench-gen [--dict FILE] [--queries N] OUTDIR HEADINGS [SEED]
//
// OUTDIR/content/maps/<category>/<tag>/<slug>.md  pages in the data/ format
// OUTDIR/records.tsv   one line per heading: label, keywords, breadcrumb (the
//                      ancestors, root first, joined by " › "), path, line
// OUTDIR/queries.txt   the query list (1-3 words a line)
// OUTDIR/corpus.txt    the parameters, as "key: value" lines
//
// Every random choice comes from the raw output of std::mt19937_64 (whose
// sequence the standard fixes) through the hand-written samplers below; no
// std::*_distribution and no std::shuffle, whose results differ between
// standard libraries.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

constexpr int kGeneratorVersion = 2;
constexpr int kCategories = 10;
constexpr int kTagsPerCategory = 10;
constexpr const char* kDefaultDict = "/usr/share/dict/american-english";
constexpr std::uint64_t kDefaultSeed = 42;
// Calibrated so that the most frequent word is in about 8% of headings (with
// its ancestors' labels), as in the real taxonomies of data/ and the corpora
// they come from (7%, 5-12%); plain Zipf (q = 0) puts it in 72%.
constexpr int kDefaultZipfQ = 20;
constexpr const char* kCrumbSeparator = " \u203a ";

// Independent streams, so that the vocabulary ranks and the query list do not
// depend on the corpus size.
constexpr std::uint64_t kVocabularyStream = 0x766f636162756c61ULL;
constexpr std::uint64_t kQueryStream = 0x7175657269657321ULL;
constexpr std::uint64_t kPageStream = 0x7061676573212121ULL;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t next() { return engine_(); }

  /// Uniform in [0, 1), from the top 53 bits.
  double unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

  /// Uniform in [0, n), without modulo bias: draws below 2^64 mod n are
  /// rejected, so the accepted range is a whole multiple of n.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t reject = (0 - n) % n;
    std::uint64_t x = engine_();
    while (x < reject) x = engine_();
    return x % n;
  }

  /// Uniform in [lo, hi].
  int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }

 private:
  std::mt19937_64 engine_;
};

/// Ranks 0..n-1 drawn with probability proportional to 1/(rank+1+q)
/// (Zipf-Mandelbrot, s = 1; q = 0 is plain Zipf). The cumulative weights are
/// sums of correctly rounded divisions in a fixed order, so they are the
/// same bits everywhere.
class ZipfSampler {
 public:
  ZipfSampler(std::size_t n, double q) : cumulative_(n) {
    double sum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      sum += 1.0 / (static_cast<double>(k + 1) + q);
      cumulative_[k] = sum;
    }
  }

  std::size_t draw(Rng& rng) const {
    const double target = rng.unit() * cumulative_.back();
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
    const auto rank = static_cast<std::size_t>(it - cumulative_.begin());
    return std::min(rank, cumulative_.size() - 1);
  }

 private:
  std::vector<double> cumulative_;
};

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

bool is_lower_ascii_word(const std::string& word) {
  if (word.empty()) return false;
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

/// The dictionary's all-lowercase ASCII words, sorted and deduplicated, then
/// put in a seeded random order: position = Zipf rank.
std::vector<std::string> load_vocabulary(const std::string& dict, Rng& rng) {
  std::ifstream in(dict);
  if (!in) throw std::runtime_error("cannot read " + dict + " (Debian package wamerican)");
  std::vector<std::string> words;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (is_lower_ascii_word(line)) words.push_back(line);
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  if (words.size() < 1000) throw std::runtime_error(dict + " has too few lowercase words");
  for (std::size_t i = words.size() - 1; i > 0; --i) {
    std::swap(words[i], words[rng.below(i + 1)]);
  }
  return words;
}

struct Vocabulary {
  std::vector<std::string> words;
  ZipfSampler zipf;

  Vocabulary(std::vector<std::string> ranked, double q)
      : words(std::move(ranked)), zipf(words.size(), q) {}

  /// `count` distinct Zipf-drawn words.
  std::vector<std::string> phrase(Rng& rng, int count) const {
    std::vector<std::size_t> ranks;
    while (static_cast<int>(ranks.size()) < count) {
      const std::size_t rank = zipf.draw(rng);
      if (std::find(ranks.begin(), ranks.end(), rank) == ranks.end()) ranks.push_back(rank);
    }
    std::vector<std::string> out;
    out.reserve(ranks.size());
    for (std::size_t rank : ranks) out.push_back(words[rank]);
    return out;
  }

  /// A uniformly drawn word (for folder names, which should not be head words).
  const std::string& uniform(Rng& rng) const { return words[rng.below(words.size())]; }
};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

std::string title_case(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
    out[out.size() - word.size()] = static_cast<char>(word[0] - 'a' + 'A');
  }
  return out;
}

/// Distinct folder names: categories are one word, tags two joined by '-'.
struct Folders {
  std::vector<std::string> categories;
  std::vector<std::vector<std::string>> tags;  ///< per category
};

Folders make_folders(const Vocabulary& vocabulary, Rng& rng) {
  Folders folders;
  std::set<std::string> used;
  const auto fresh = [&](int words) {
    for (;;) {
      std::string name = vocabulary.uniform(rng);
      for (int i = 1; i < words; ++i) name += "-" + vocabulary.uniform(rng);
      if (used.insert(name).second) return name;
    }
  };
  for (int c = 0; c < kCategories; ++c) {
    folders.categories.push_back(fresh(1));
    folders.tags.emplace_back();
    for (int t = 0; t < kTagsPerCategory; ++t) folders.tags.back().push_back(fresh(2));
  }
  return folders;
}

/// A date in 2025 as YYYY-MM-DD.
std::string draw_date(Rng& rng) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int day = rng.between(0, 364);
  int month = 0;
  while (day >= kDays[month]) day -= kDays[month++];
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "2025-%02d-%02d", month + 1, day + 1);
  return buffer;
}

struct Totals {
  std::size_t headings = 0;
  std::size_t pages = 0;
  std::uintmax_t content_bytes = 0;
};

/// Writes pages until `target` headings exist; the last page is cut short
/// (in document order, so its tree stays valid) to hit the number exactly.
class CorpusWriter {
 public:
  CorpusWriter(const fs::path& out, const Vocabulary& vocabulary, const Folders& folders,
               std::uint64_t seed)
      : out_(out),
        vocabulary_(vocabulary),
        folders_(folders),
        rng_(seed ^ kPageStream),
        records_(out / "records.tsv", std::ios::binary) {
    if (!records_) throw std::runtime_error("cannot write " + (out / "records.tsv").string());
  }

  Totals write(std::size_t target) {
    while (totals_.headings < target) write_page(target);
    records_.close();
    if (!records_) throw std::runtime_error("writing records.tsv failed");
    return totals_;
  }

 private:
  void write_page(std::size_t target) {
    const std::size_t page = totals_.pages++;
    const int category = static_cast<int>(page % kCategories);
    const int tag = static_cast<int>((page / kCategories) % kTagsPerCategory);
    const std::vector<std::string> title_words = vocabulary_.phrase(rng_, rng_.between(2, 3));
    const std::string title = join(title_words, " ");
    const std::string slug = join(title_words, "-") + "-" + std::to_string(page + 1);
    const fs::path relative = fs::path("content") / "maps" / folders_.categories[category] /
                              folders_.tags[category][tag] / (slug + ".md");

    page_text_.clear();
    page_text_ += "---\ntitle: \"" + title + "\"\n";
    page_text_ += "category: \"" + folders_.categories[category] + "\"\n";
    page_text_ += "tag: \"" + folders_.tags[category][tag] + "\"\n";
    page_text_ += "date: " + draw_date(rng_) + "\ndraft: false\n---\n\n";
    page_text_ += "{{< jsvis-map1 \"white\" \"\" >}}\n";
    line_ = 9;
    path_ = relative.generic_string();

    // Once the target is reached heading() writes nothing, which cuts the
    // last page short in document order.
    heading(target, 1, "", title_case(title_words));
    const int sections = rng_.between(3, 5);
    for (int s = 1; s <= sections; ++s) {
      heading(target, 2, std::to_string(s) + ".", draw_label());
      for (int u = 1; u <= 3; ++u) {
        heading(target, 3, std::to_string(s) + "." + std::to_string(u), draw_label());
        for (int h = 0; h < 3; ++h) heading(target, 4, "", draw_label());
      }
    }
    page_text_ += "{{< /jsvis-map1 >}}\n";

    const fs::path file = out_ / relative;
    fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << page_text_;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + file.string());
    totals_.content_bytes += page_text_.size();
  }

  std::string draw_label() { return title_case(vocabulary_.phrase(rng_, rng_.between(2, 3))); }

  /// Appends one heading (and its record), unless the target is reached.
  void heading(std::size_t target, int level, const std::string& number, const std::string& label) {
    if (totals_.headings >= target) return;
    const std::string keywords = join(vocabulary_.phrase(rng_, rng_.between(4, 7)), " ");
    ++line_;
    page_text_.append(static_cast<std::size_t>(level), '#');
    page_text_ += ' ';
    if (!number.empty()) page_text_ += number + ' ';
    page_text_ += label + "; " + keywords + "\n";

    // The breadcrumb holds the ancestors, root first (as taxon::Hit::breadcrumb()
    // shows them, and as taxon indexes their labels as context).
    crumbs_.resize(static_cast<std::size_t>(level - 1));
    records_ << label << '\t' << keywords << '\t' << join(crumbs_, kCrumbSeparator) << '\t' << path_
             << '\t' << line_ << '\n';
    crumbs_.push_back(number.empty() ? label : number + " " + label);
    ++totals_.headings;
  }

  fs::path out_;
  const Vocabulary& vocabulary_;
  const Folders& folders_;
  Rng rng_;
  std::ofstream records_;
  Totals totals_;
  std::string page_text_;
  std::string path_;
  int line_ = 0;
  std::vector<std::string> crumbs_;  ///< crumb text per level, root first
};

void write_queries(const fs::path& file, const Vocabulary& vocabulary, std::uint64_t seed,
                   int count) {
  Rng rng(seed ^ kQueryStream);
  std::ofstream out(file, std::ios::binary);
  for (int i = 0; i < count; ++i)
    out << join(vocabulary.phrase(rng, rng.between(1, 3)), " ") << '\n';
  out.close();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

[[noreturn]] void usage(const char* message) {
  if (message != nullptr) std::fprintf(stderr, "taxon-bench-gen: %s\n", message);
  std::fprintf(stderr,
               "usage: taxon-bench-gen [--dict FILE] [--queries N] [--zipf-q Q] OUTDIR HEADINGS "
               "[SEED]\n"
               "  writes OUTDIR/content/, records.tsv, queries.txt and corpus.txt\n"
               "  --zipf-q: word rank r is drawn with weight 1/(r+Q) (default %d; 0 = plain "
               "Zipf)\n",
               kDefaultZipfQ);
  std::exit(2);
}

std::uint64_t parse_number(const std::string& text, const char* what) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    usage((std::string(what) + " must be a non-negative integer").c_str());
  }
  return std::stoull(text);
}

int run(int argc, char** argv) {
  std::string dict = kDefaultDict;
  int query_count = 1000;
  auto zipf_q = static_cast<std::uint64_t>(kDefaultZipfQ);
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--dict" && i + 1 < argc) {
      dict = argv[++i];
    } else if (arg == "--queries" && i + 1 < argc) {
      query_count = static_cast<int>(parse_number(argv[++i], "--queries"));
    } else if (arg == "--zipf-q" && i + 1 < argc) {
      zipf_q = parse_number(argv[++i], "--zipf-q");
    } else if (arg == "-h" || arg == "--help") {
      usage(nullptr);
    } else if (!arg.empty() && arg[0] == '-') {
      usage(("unknown option " + arg).c_str());
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() < 2 || positional.size() > 3) usage("expected OUTDIR HEADINGS [SEED]");
  const fs::path out = positional[0];
  const std::uint64_t headings = parse_number(positional[1], "HEADINGS");
  const std::uint64_t seed =
      positional.size() > 2 ? parse_number(positional[2], "SEED") : kDefaultSeed;
  if (headings == 0) usage("HEADINGS must be at least 1");
  if (fs::exists(out / "content")) {
    throw std::runtime_error((out / "content").string() + " exists; remove it first");
  }
  fs::create_directories(out);

  Rng vocabulary_rng(seed ^ kVocabularyStream);
  Vocabulary vocabulary(load_vocabulary(dict, vocabulary_rng), static_cast<double>(zipf_q));
  std::uint64_t vocabulary_hash = 0xcbf29ce484222325ULL;
  for (const std::string& word : vocabulary.words)
    vocabulary_hash = fnv1a(vocabulary_hash, word + "\n");
  const Folders folders = make_folders(vocabulary, vocabulary_rng);

  CorpusWriter writer(out, vocabulary, folders, seed);
  const Totals totals = writer.write(headings);
  write_queries(out / "queries.txt", vocabulary, seed, query_count);

  std::string head;
  for (std::size_t i = 0; i < 5; ++i) head += (i > 0 ? " " : "") + vocabulary.words[i];
  char hash_text[32];
  std::snprintf(hash_text, sizeof hash_text, "%016llx",
                static_cast<unsigned long long>(vocabulary_hash));
  std::ofstream info(out / "corpus.txt", std::ios::binary);
  info << "generator: taxon-bench-gen " << kGeneratorVersion << "\n"
       << "seed: " << seed << "\n"
       << "headings: " << totals.headings << "\n"
       << "pages: " << totals.pages << "\n"
       << "headings_per_page: "
       << static_cast<double>(totals.headings) / static_cast<double>(totals.pages) << "\n"
       << "folders: " << kCategories * kTagsPerCategory << " (" << kCategories << " categories x "
       << kTagsPerCategory << " tags)\n"
       << "content_bytes: " << totals.content_bytes << "\n"
       << "vocabulary_words: " << vocabulary.words.size() << "\n"
       << "vocabulary_source: " << dict << "\n"
       << "vocabulary_fnv1a: " << hash_text << "\n"
       << "vocabulary_head: " << head << "\n"
       << "zipf: weight 1/(rank+" << zipf_q << "), ranks from 1\n"
       << "label_words: 2-3\n"
       << "keyword_words: 4-7\n"
       << "queries: " << query_count << " (1-3 words)\n";
  info.close();
  if (!info) throw std::runtime_error("cannot write corpus.txt");
  std::printf("taxon-bench-gen: %zu headings in %zu pages under %s\n", totals.headings,
              totals.pages, (out / "content").c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "taxon-bench-gen: %s\n", e.what());
    return 1;
  }
}
