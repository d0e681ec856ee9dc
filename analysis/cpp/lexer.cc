#include "analysis/cpp/lexer.h"

#include <clang-c/Index.h>

#include <string>

namespace lockspan::cpp {
namespace {

constexpr const char* kVirtualPath = "/lockspan/virtual/source.cpp";

TokenKind kind_of(CXTokenKind k) {
  switch (k) {
    case CXToken_Keyword: return TokenKind::Keyword;
    case CXToken_Identifier: return TokenKind::Ident;
    case CXToken_Literal: return TokenKind::Literal;
    default: return TokenKind::Punct;
  }
}

// Marks tokens that belong to a preprocessor directive: a '#' first on its
// line, through the end of that line and any backslash-continued lines.
void drop_directives(std::string_view src, std::vector<Token>& toks) {
  std::vector<Token> kept;
  kept.reserve(toks.size());
  int directive_until_line = -1;
  int last_line = -1;
  for (const Token& t : toks) {
    bool first_on_line = t.line != last_line;
    last_line = t.line;
    if (t.line <= directive_until_line) continue;
    if (first_on_line && (t.is("#") || t.is("%:"))) {
      // Extend over continuation lines.
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
      continue;
    }
    kept.push_back(t);
  }
  toks.swap(kept);
}

}  // namespace

struct Lexer::Impl {
  CXIndex index = nullptr;
  CXTranslationUnit tu = nullptr;
};

Lexer::Lexer() : impl_(std::make_unique<Impl>()) {
  impl_->index = clang_createIndex(/*excludeDeclarationsFromPCH=*/0, /*displayDiagnostics=*/0);
}

Lexer::~Lexer() {
  if (impl_->tu) clang_disposeTranslationUnit(impl_->tu);
  if (impl_->index) clang_disposeIndex(impl_->index);
}

bool Lexer::lex(std::string_view source, std::vector<Token>& out, std::string& error) {
  out.clear();
  CXUnsavedFile file{kVirtualPath, source.data(), static_cast<unsigned long>(source.size())};
  // Nothing is included or type-checked: the lexer only needs the buffer.
  const char* args[] = {"-x", "c++", "-std=c++20", "-nostdinc", "-nostdinc++", "-w"};
  unsigned flags = CXTranslationUnit_SingleFileParse | CXTranslationUnit_KeepGoing |
                   CXTranslationUnit_SkipFunctionBodies | CXTranslationUnit_Incomplete;
  CXErrorCode rc;
  if (!impl_->tu) {
    rc = clang_parseTranslationUnit2(impl_->index, kVirtualPath, args, 6, &file, 1, flags, &impl_->tu);
  } else {
    rc = static_cast<CXErrorCode>(
        clang_reparseTranslationUnit(impl_->tu, 1, &file, clang_defaultReparseOptions(impl_->tu)));
    if (rc != CXError_Success) {
      // A failed reparse invalidates the unit; start afresh once.
      clang_disposeTranslationUnit(impl_->tu);
      impl_->tu = nullptr;
      rc = clang_parseTranslationUnit2(impl_->index, kVirtualPath, args, 6, &file, 1, flags, &impl_->tu);
    }
  }
  if (rc != CXError_Success || !impl_->tu) {
    impl_->tu = nullptr;
    error = "libclang could not lex the file (error " + std::to_string(static_cast<int>(rc)) + ")";
    return false;
  }
  CXTranslationUnit tu = impl_->tu;
  CXFile cxfile = clang_getFile(tu, kVirtualPath);
  CXSourceRange range = clang_getRange(clang_getLocationForOffset(tu, cxfile, 0),
                                       clang_getLocationForOffset(tu, cxfile, source.size()));
  CXToken* tokens = nullptr;
  unsigned count = 0;
  clang_tokenize(tu, range, &tokens, &count);
  out.reserve(count);
  for (unsigned i = 0; i < count; ++i) {
    CXTokenKind k = clang_getTokenKind(tokens[i]);
    if (k == CXToken_Comment) continue;
    CXSourceRange extent = clang_getTokenExtent(tu, tokens[i]);
    unsigned line = 0, column = 0, begin = 0, end = 0;
    clang_getSpellingLocation(clang_getRangeStart(extent), nullptr, &line, &column, &begin);
    clang_getSpellingLocation(clang_getRangeEnd(extent), nullptr, nullptr, nullptr, &end);
    if (end < begin || end > source.size()) continue;
    Token t;
    t.kind = kind_of(k);
    t.text = source.substr(begin, end - begin);
    t.line = static_cast<int>(line);
    t.column = static_cast<int>(column);
    t.offset = begin;
    out.push_back(t);
  }
  clang_disposeTokens(tu, tokens, count);
  drop_directives(source, out);
  return true;
}

}  // namespace lockspan::cpp
