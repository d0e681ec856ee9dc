#include "analysis/analyzer.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <thread>

#include "analysis/cpp/lexer.h"
#include "analysis/cpp/lower.h"
#include "analysis/cpp/parser.h"
#include "analysis/cpp/symbols.h"
#include "analysis/flow.h"
#include "analysis/rules.h"
#include "analysis/suppression.h"

namespace lockspan {
namespace {

bool has_suspension_keyword(std::string_view s) {
  return s.find("co_await") != std::string_view::npos || s.find("co_yield") != std::string_view::npos ||
         s.find("co_return") != std::string_view::npos;
}

bool valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= extra; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    i += extra + 1;
  }
  return true;
}

// Work on one input file through the phases.
struct Unit {
  SourceFile* source = nullptr;
  FileResult result;
  bool parse = false;   // lex and parse for the index
  bool lower = false;   // has suspensions: lower and check
  cpp::FileModel model;
  std::vector<FunctionIR> functions;
  std::vector<std::string> problems;
};

template <typename Fn>
void parallel_for(size_t n, int jobs, Fn fn) {
  if (jobs <= 0) jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  jobs = static_cast<int>(std::min<size_t>(jobs, std::max<size_t>(n, 1)));
  std::atomic<size_t> next{0};
  auto worker = [&](int id) {
    for (size_t i = next++; i < n; i = next++) fn(i, id);
  };
  if (jobs == 1) return worker(0);
  std::vector<std::thread> threads;
  for (int j = 0; j < jobs; ++j) threads.emplace_back(worker, j);
  for (auto& t : threads) t.join();
}

void classify(Unit& u, const AnalyzeOptions& options) {
  const std::string& c = u.source->content;
  u.result.path = u.source->path;
  if (c.size() > options.max_file_bytes) {
    u.result = {u.source->path, FileStatus::Skipped,
                "larger than " + std::to_string(options.max_file_bytes >> 20) + " MiB"};
    return;
  }
  if (c.find('\0') != std::string::npos) {
    u.result = {u.source->path, FileStatus::Skipped, "binary file (contains NUL bytes)"};
    return;
  }
  if (c.empty()) {
    u.result.detail = "empty file";
    return;
  }
  if (!valid_utf8(c)) {
    u.result.status = FileStatus::Degraded;
    u.result.detail = "not valid UTF-8; analyzed byte by byte";
  }
  u.lower = has_suspension_keyword(c) && u.source->report;
  u.parse = u.lower || may_matter(c);
}

// Brackets that do not balance usually come from #if/#else branches that
// each open a block; reading only the first branch often balances them.
void retry_first_branches(Unit& u, cpp::Lexer& lexer) {
  cpp::FileModel again;
  again.path = u.model.path;
  again.source = u.model.source;
  std::string error;
  if (!lexer.lex_first_branches(again.source, again.tokens, error)) return;
  cpp::parse_structure(again);
  if (!again.problems.empty()) return;
  u.model = std::move(again);
  // A moved short string changes address: point the tokens at the new one.
  for (auto& t : u.model.tokens) t.text = std::string_view(u.model.source).substr(t.offset, t.text.size());
  u.result.detail = "brackets balance only with the first branch of each #if; later branches were not analyzed";
}

// Lexes a batch of units with one libclang reparse, then parses each.
void parse_batch(const std::vector<Unit*>& batch, cpp::Lexer& lexer) {
  std::vector<std::string_view> sources;
  for (Unit* u : batch) {
    u->model.path = u->source->path;
    u->model.source = std::move(u->source->content);
    sources.push_back(u->model.source);
  }
  std::vector<std::vector<cpp::Token>> tokens;
  std::vector<std::string> errors;
  lexer.lex_batch(sources, tokens, errors);
  for (size_t i = 0; i < batch.size(); ++i) {
    Unit& u = *batch[i];
    if (!errors[i].empty()) {
      u.result = {u.source->path, FileStatus::Error, errors[i]};
      u.parse = u.lower = false;
      continue;
    }
    u.model.tokens = std::move(tokens[i]);
    try {
      cpp::parse_structure(u.model);
      if (!u.model.problems.empty()) retry_first_branches(u, lexer);
    } catch (const std::exception& e) {
      u.result = {u.source->path, FileStatus::Error, std::string("internal error while parsing: ") + e.what()};
      u.parse = u.lower = false;
    }
  }
}

// Batches of up to ~512 KiB of source: large enough to spread libclang's
// fixed cost per unit, small enough to keep every worker busy.
std::vector<std::vector<Unit*>> make_batches(std::vector<Unit>& units) {
  std::vector<std::vector<Unit*>> batches;
  size_t bytes = 0;
  for (auto& u : units) {
    if (!u.parse) continue;
    if (batches.empty() || bytes > (512u << 10) || batches.back().size() >= 64) {
      batches.emplace_back();
      bytes = 0;
    }
    batches.back().push_back(&u);
    bytes += u.source->content.size();
  }
  return batches;
}

uint64_t fnv1a(std::string_view s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string fingerprint(const Finding& f, int ordinal) {
  uint64_t h = fnv1a(f.rule);
  for (std::string_view part : {std::string_view(f.path), std::string_view(f.function),
                                std::string_view(to_string(f.lock.how)), std::string_view(f.lock.type),
                                std::string_view(f.lock.mutex), std::string_view(f.lock.statement),
                                f.suspensions.empty() ? std::string_view() : std::string_view(f.suspensions.front().text)})
    h = fnv1a(part, fnv1a("\x1f", h));
  h = fnv1a(std::to_string(ordinal), h);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::optional<Severity> severity_for(const Rule& rule, const AnalyzeOptions& options) {
  if (auto it = options.severity.find(rule.id); it != options.severity.end()) return it->second;
  return rule.default_severity;
}

void check_function(const FunctionIR& fn, const CoroutineLocks& locks, const Suppressions& sup,
                    const AnalyzeOptions& options, std::vector<Finding>& out) {
  if (fn.suspensions.empty()) return;
  Holds holds = find_holds(fn);
  for (size_t slot = 0; slot < fn.slots.size(); ++slot) {
    const auto& held_at = holds.at[slot];
    if (held_at.empty()) continue;
    RuleInput in{fn, static_cast<int>(slot), held_at, locks};
    for (const Rule& rule : all_rules()) {
      auto severity = severity_for(rule, options);
      if (!severity) continue;
      auto hit = rule.check(in);
      if (!hit) continue;
      const Suspension& primary = fn.suspensions[hit->primary];
      if (!sup.suppressed(primary.loc.line, rule.id)) {
        Finding f;
        f.rule = rule.id;
        f.severity = *severity;
        f.path = fn.path;
        f.loc = primary.loc;
        f.function = fn.name;
        f.message = hit->message;
        f.why = hit->why;
        f.fix = hit->fix;
        f.lock = fn.slots[slot];
        for (int idx : held_at) f.suspensions.push_back(fn.suspensions[idx]);
        out.push_back(std::move(f));
      }
      break;
    }
  }
}

}  // namespace

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Notice: return "notice";
  }
  return "error";
}

const char* to_string(FileStatus s) {
  switch (s) {
    case FileStatus::Analyzed: return "analyzed";
    case FileStatus::Skipped: return "skipped";
    case FileStatus::Degraded: return "degraded";
    case FileStatus::Error: return "error";
  }
  return "error";
}

bool may_matter(std::string_view c) {
  if (has_suspension_keyword(c)) return true;
  for (std::string_view w : {"lock", "Lock", "mutex", "Mutex", "guard", "Guard", "semaphore", "Semaphore", "LOCK"})
    if (c.find(w) != std::string_view::npos) return true;
  return false;
}

std::vector<std::string> included_paths(std::string_view content) {
  std::vector<std::string> out;
  size_t line = 0;
  while (line < content.size()) {
    size_t eol = content.find('\n', line);
    std::string_view l = content.substr(line, eol == std::string_view::npos ? std::string_view::npos : eol - line);
    line = eol == std::string_view::npos ? content.size() : eol + 1;
    size_t hash = l.find_first_not_of(" \t");
    if (hash == std::string_view::npos || l[hash] != '#') continue;
    size_t word = l.find_first_not_of(" \t", hash + 1);
    if (word == std::string_view::npos || l.substr(word, 7) != "include") continue;
    size_t open = l.find_first_of("\"<", word + 7);
    if (open == std::string_view::npos) continue;
    size_t close = l.find(l[open] == '"' ? '"' : '>', open + 1);
    if (close != std::string_view::npos) out.emplace_back(l.substr(open + 1, close - open - 1));
  }
  return out;
}

bool is_cpp_path(std::string_view p) {
  for (std::string_view ext : {".cc", ".cpp", ".cxx", ".c++", ".cp", ".c", ".h", ".hh", ".hpp", ".hxx",
                               ".h++", ".ipp", ".inl", ".tcc", ".cppm", ".ixx", ".C", ".H"})
    if (p.size() > ext.size() && p.substr(p.size() - ext.size()) == ext) return true;
  return false;
}

AnalysisResult analyze(std::vector<SourceFile> files, const AnalyzeOptions& options) {
  std::vector<Unit> units(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    units[i].source = &files[i];
    classify(units[i], options);
  }
  int jobs = options.jobs <= 0 ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency())) : options.jobs;
  std::vector<std::unique_ptr<cpp::Lexer>> lexers(jobs);
  auto batches = make_batches(units);
  parallel_for(batches.size(), jobs, [&](size_t i, int worker) {
    if (!lexers[worker]) lexers[worker] = std::make_unique<cpp::Lexer>();
    parse_batch(batches[i], *lexers[worker]);
  });

  cpp::SymbolIndex index(options.catalog);
  for (auto& u : units)
    if (u.parse) index.add_file(u.model);
  index.finish();

  parallel_for(units.size(), jobs, [&](size_t i, int) {
    Unit& u = units[i];
    if (!u.lower) return;
    try {
      u.functions = cpp::lower_file(u.model, index, u.problems);
    } catch (const std::exception& e) {
      u.problems.push_back(std::string("internal error while lowering: ") + e.what());
      u.functions.clear();
    }
  });

  std::vector<const FunctionIR*> all;
  for (auto& u : units)
    for (auto& fn : u.functions) all.push_back(&fn);
  CoroutineLocks locks = summarize_coroutine_locks(all);

  AnalysisResult result;
  for (auto& u : units) {
    if (!u.source->report) continue;
    if (u.lower) {
      Suppressions sup(u.model.source);
      for (const auto& fn : u.functions) check_function(fn, locks, sup, options, result.findings);
    }
    std::vector<std::string> problems = u.model.problems;
    problems.insert(problems.end(), u.problems.begin(), u.problems.end());
    if (!problems.empty() && u.result.status == FileStatus::Analyzed) {
      u.result.status = FileStatus::Degraded;
      u.result.detail = problems.front();
      if (problems.size() > 1) u.result.detail += " (and " + std::to_string(problems.size() - 1) + " more)";
    }
    result.files.push_back(u.result);
  }
  std::sort(result.findings.begin(), result.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.path != b.path) return a.path < b.path;
    if (a.loc.line != b.loc.line) return a.loc.line < b.loc.line;
    if (a.loc.column != b.loc.column) return a.loc.column < b.loc.column;
    return a.rule < b.rule;
  });
  std::map<std::string, int> seen;
  for (auto& f : result.findings) {
    std::string base = fingerprint(f, 0);
    f.fingerprint = fingerprint(f, seen[base]++);
  }
  return result;
}

}  // namespace lockspan
