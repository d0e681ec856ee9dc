// C and C++ tokens from libclang's lexer: the compiler's own tokenization
// (raw strings, digraphs, line splices), without resolving a single include.
// Comments are dropped and preprocessor directive lines are removed, so the
// parser sees only code that can suspend or lock.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lockspan::cpp {

enum class TokenKind { Punct, Keyword, Ident, Literal };

struct Token {
  TokenKind kind = TokenKind::Punct;
  std::string_view text;  // points into the source buffer given to lex()
  int line = 0;
  int column = 0;
  unsigned offset = 0;

  bool is(std::string_view s) const { return text == s; }
  bool is_ident() const { return kind == TokenKind::Ident; }
};

// Reuses one libclang translation unit across files: reparsing a tiny unit is
// several times cheaper than creating one, which keeps the cost per file well
// under a millisecond. One Lexer per thread.
class Lexer {
 public:
  Lexer();
  ~Lexer();
  Lexer(const Lexer&) = delete;
  Lexer& operator=(const Lexer&) = delete;

  // Tokens of `source`, which must outlive them. Returns false (with `error`)
  // only when libclang itself fails.
  bool lex(std::string_view source, std::vector<Token>& out, std::string& error);
  // Keeps only the first branch of every #if/#ifdef: the fallback for files
  // whose branches each open a brace and so do not balance together.
  bool lex_first_branches(std::string_view source, std::vector<Token>& out, std::string& error);

  // Tokens of several sources with one reparse: the fixed cost of a libclang
  // unit is paid once per batch. out[i] and errors[i] belong to sources[i].
  void lex_batch(const std::vector<std::string_view>& sources, std::vector<std::vector<Token>>& out,
                 std::vector<std::string>& errors);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool first_branches_ = false;
};

}  // namespace lockspan::cpp
