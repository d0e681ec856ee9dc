#include "analysis/cpp/lexer.h"

#include <clang-c/Index.h>

#include <algorithm>
#include <string>

namespace lockspan::cpp {
namespace {

constexpr const char* kVirtualPath = "/lockspan/virtual/source.cpp";
// The sources sit inside "#if 0" so the preprocessor skips them instead of
// parsing them; clang_tokenize lexes the raw range regardless.
constexpr std::string_view kPrologue = "#if 0\n";
constexpr std::string_view kEpilogue = "\n#endif\n";

TokenKind kind_of(CXTokenKind k) {
  switch (k) {
    case CXToken_Keyword: return TokenKind::Keyword;
    case CXToken_Identifier: return TokenKind::Ident;
    case CXToken_Literal: return TokenKind::Literal;
    default: return TokenKind::Punct;
  }
}

// Tracks `#if 0` regions: code there is never compiled, so never analyzed.
// Other conditionals keep every branch, since which one builds is unknown.
class DeadRegions {
 public:
  explicit DeadRegions(bool first_branches) : first_branches_(first_branches) {}
  // Called with the tokens of one directive line, '#' first.
  void directive(const std::vector<const Token*>& d) {
    if (d.size() < 2) return;
    std::string_view kw = d[1]->text;
    // "#if 0", "#elif false", "#if defined(X) && 0"
    bool zero = (d.back()->is("0") || d.back()->is("false")) && (d.size() == 3 || d[d.size() - 2]->is("&&"));
    if (kw == "if" || kw == "ifdef" || kw == "ifndef") {
      stack_.push_back(kw == "if" && zero);
      dead_first_.push_back(stack_.back());
      return;
    }
    if (stack_.empty()) return;
    else if (kw == "elif") stack_.back() = first_branches_ || zero;
    else if (kw == "else") stack_.back() = first_branches_ && !dead_first_.back();
    else if (kw == "endif") stack_.pop_back(), dead_first_.pop_back();
  }
  bool dead() const { return std::find(stack_.begin(), stack_.end(), true) != stack_.end(); }

 private:
  bool first_branches_;
  std::vector<bool> stack_;
  std::vector<bool> dead_first_;  // the first branch was `#if 0`: then #else is the live one
};

// Removes tokens of preprocessor directives: a '#' first on its line, through
// the end of that line and any backslash-continued lines; and the code of
// `#if 0` regions.
void drop_directives(std::string_view src, std::vector<Token>& toks, bool first_branches) {
  std::vector<Token> kept;
  kept.reserve(toks.size());
  int directive_until_line = -1;
  int last_line = -1;
  DeadRegions dead(first_branches);
  std::vector<const Token*> directive;
  for (size_t i = 0; i < toks.size(); ++i) {
    const Token& t = toks[i];
    bool first_on_line = t.line != last_line;
    last_line = t.line;
    if (t.line <= directive_until_line) {
      directive.push_back(&t);
      if (i + 1 == toks.size() || toks[i + 1].line > directive_until_line) dead.directive(directive);
      continue;
    }
    if (first_on_line && (t.is("#") || t.is("%:"))) {
      directive.assign(1, &t);
      size_t pos = t.offset;
      int line = t.line;
      while (true) {
        size_t eol = src.find('\n', pos);
        if (eol == std::string_view::npos) break;
        size_t end = eol;
        if (end > 0 && src[end - 1] == '\r') --end;
        if (end == 0 || src[end - 1] != '\\') break;
        pos = eol + 1;
        ++line;
      }
      directive_until_line = line;
      if (i + 1 == toks.size() || toks[i + 1].line > directive_until_line) dead.directive(directive);
      continue;
    }
    if (dead.dead()) continue;
    kept.push_back(t);
  }
  toks.swap(kept);
}

std::vector<size_t> line_starts(std::string_view s) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '\n') starts.push_back(i + 1);
  return starts;
}

}  // namespace

struct Lexer::Impl {
  CXIndex index = nullptr;
  CXTranslationUnit tu = nullptr;
  std::string buffer;

  // Makes the unit hold `buffer`; false with `error` on failure.
  bool load(std::string& error) {
    CXUnsavedFile file{kVirtualPath, buffer.data(), static_cast<unsigned long>(buffer.size())};
    const char* args[] = {"-x", "c++", "-std=c++20", "-nostdinc", "-nostdinc++", "-w"};
    unsigned flags = CXTranslationUnit_SingleFileParse | CXTranslationUnit_KeepGoing |
                     CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_Incomplete;
    CXErrorCode rc = CXError_Failure;
    if (tu) {
      rc = static_cast<CXErrorCode>(clang_reparseTranslationUnit(tu, 1, &file, clang_defaultReparseOptions(tu)));
      if (rc != CXError_Success) {
        clang_disposeTranslationUnit(tu);  // a failed reparse invalidates the unit
        tu = nullptr;
      }
    }
    if (!tu) rc = clang_parseTranslationUnit2(index, kVirtualPath, args, 6, &file, 1, flags, &tu);
    if (rc != CXError_Success || !tu) {
      tu = nullptr;
      error = "libclang could not lex the file (error " + std::to_string(static_cast<int>(rc)) + ")";
      return false;
    }
    return true;
  }
};

Lexer::Lexer() : impl_(std::make_unique<Impl>()) {
  impl_->index = clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0);
}

Lexer::~Lexer() {
  if (impl_->tu) clang_disposeTranslationUnit(impl_->tu);
  if (impl_->index) clang_disposeIndex(impl_->index);
}

bool Lexer::lex(std::string_view source, std::vector<Token>& out, std::string& error) {
  std::vector<std::vector<Token>> all;
  std::vector<std::string> errors;
  lex_batch({source}, all, errors);
  out = std::move(all[0]);
  error = errors[0];
  return error.empty();
}

bool Lexer::lex_first_branches(std::string_view source, std::vector<Token>& out, std::string& error) {
  first_branches_ = true;
  bool ok = lex(source, out, error);
  first_branches_ = false;
  return ok;
}

void Lexer::lex_batch(const std::vector<std::string_view>& sources, std::vector<std::vector<Token>>& out,
                      std::vector<std::string>& errors) {
  out.assign(sources.size(), {});
  errors.assign(sources.size(), {});
  if (sources.empty()) return;
  std::vector<size_t> begin(sources.size());
  std::string& buf = impl_->buffer;
  buf.assign(kPrologue);
  for (size_t i = 0; i < sources.size(); ++i) {
    begin[i] = buf.size();
    buf.append(sources[i]);
    buf.push_back('\n');  // a line of its own between files
  }
  size_t content_end = buf.size();
  buf.append(kEpilogue);
  std::string error;
  if (!impl_->load(error)) {
    errors.assign(sources.size(), error);
    return;
  }
  CXTranslationUnit tu = impl_->tu;
  CXFile cxfile = clang_getFile(tu, kVirtualPath);
  CXSourceRange range = clang_getRange(clang_getLocationForOffset(tu, cxfile, kPrologue.size()),
                                       clang_getLocationForOffset(tu, cxfile, content_end));
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, range, &tokens, &count);
  std::vector<std::vector<size_t>> lines(sources.size());
  std::vector<char> crossed(sources.size(), 0);
  std::vector<char> seen(sources.size(), 0);
  size_t file = 0;
  for (unsigned i = 0; i < count; ++i) {
    CXTokenKind k = clang_getTokenKind(tokens[i]);
    CXSourceRange extent = clang_getTokenExtent(tu, tokens[i]);
    unsigned b = 0, e = 0;
    clang_getSpellingLocation(clang_getRangeStart(extent), nullptr, nullptr, nullptr, &b);
    clang_getSpellingLocation(clang_getRangeEnd(extent), nullptr, nullptr, nullptr, &e);
    if (b < kPrologue.size() || b >= content_end || e < b) continue;
    while (file + 1 < sources.size() && b >= begin[file + 1]) ++file;
    size_t local = b - begin[file];
    seen[file] = 1;
    if (local + (e - b) > sources[file].size()) {
      // An unterminated comment or literal ran into the files after it.
      for (size_t f = file; f < sources.size() && begin[f] < e; ++f) crossed[f] = 1;
      continue;
    }
    if (k == CXToken_Comment) continue;
    if (lines[file].empty()) lines[file] = line_starts(sources[file]);
    const auto& ls = lines[file];
    size_t line = std::upper_bound(ls.begin(), ls.end(), local) - ls.begin();
    Token t;
    t.kind = kind_of(k);
    t.text = sources[file].substr(local, e - b);
    t.line = static_cast<int>(line);
    t.column = static_cast<int>(local - ls[line - 1] + 1);
    t.offset = static_cast<unsigned>(local);
    out[file].push_back(t);
  }
  clang_disposeTokens(tu, tokens, count);
  // libclang drops an unterminated comment or raw string altogether, and the
  // files after it then show no token at all: those are lexed on their own.
  for (size_t i = 0; i < sources.size(); ++i)
    if (!seen[i] && sources[i].find_first_not_of(" \t\r\n\f\v") != std::string_view::npos) crossed[i] = 1;
  for (size_t i = 0; i < sources.size(); ++i) {
    if (crossed[i] && sources.size() > 1) {
      // Files touched by a leak are lexed again on their own.
      lex(sources[i], out[i], errors[i]);
      continue;
    }
    drop_directives(sources[i], out[i], first_branches_);
  }
}

}  // namespace lockspan::cpp
