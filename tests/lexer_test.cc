#include "analysis/cpp/lexer.h"

#include <gtest/gtest.h>

namespace lockspan::cpp {
namespace {

std::vector<std::string> texts(const std::vector<Token>& toks) {
  std::vector<std::string> out;
  for (const auto& t : toks) out.emplace_back(t.text);
  return out;
}

TEST(Lexer, DropsCommentsAndDirectivesKeepsLiteralsWhole) {
  Lexer lx;
  std::vector<Token> toks;
  std::string err;
  std::string src = "#include <mutex>\n#define X \\\n  co_await y\nint a = 1; // co_await\nauto s = \"co_await\";\n";
  ASSERT_TRUE(lx.lex(src, toks, err)) << err;
  EXPECT_EQ(texts(toks), (std::vector<std::string>{"int", "a", "=", "1", ";", "auto", "s", "=", "\"co_await\"", ";"}));
  EXPECT_EQ(toks[0].line, 4);
  EXPECT_EQ(toks[0].column, 1);
  EXPECT_EQ(toks[8].kind, TokenKind::Literal);
}

TEST(Lexer, RawStringsAreOneToken) {
  Lexer lx;
  std::vector<Token> toks;
  std::string err;
  std::string src = "auto s = R\"x(co_await )\" still inside)x\"; co_await z;";
  ASSERT_TRUE(lx.lex(src, toks, err));
  int awaits = 0;
  for (const auto& t : toks) awaits += t.is("co_await");
  EXPECT_EQ(awaits, 1);
}

TEST(Lexer, BatchKeepsFilesApartEvenWhenOneLeaks) {
  Lexer lx;
  std::string a = "int a;\n/* never closed\nint hidden;\n";
  std::string b = "int b;\nco_await x;\n";
  std::string c = "  int c;\n";
  std::vector<std::vector<Token>> out;
  std::vector<std::string> errors;
  lx.lex_batch({a, b, c}, out, errors);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(texts(out[0]), (std::vector<std::string>{"int", "a", ";"}));
  EXPECT_EQ(texts(out[1]), (std::vector<std::string>{"int", "b", ";", "co_await", "x", ";"}));
  EXPECT_EQ(out[1][3].line, 2);
  EXPECT_EQ(texts(out[2]), (std::vector<std::string>{"int", "c", ";"}));
  EXPECT_EQ(out[2][0].column, 3);
}

TEST(Lexer, BatchSurvivesUnbalancedConditionals) {
  Lexer lx;
  std::string a = "#endif\nint a;\n#else\n";
  std::string b = "int b;\n";
  std::vector<std::vector<Token>> out;
  std::vector<std::string> errors;
  lx.lex_batch({a, b}, out, errors);
  EXPECT_EQ(texts(out[0]), (std::vector<std::string>{"int", "a", ";"}));
  EXPECT_EQ(texts(out[1]), (std::vector<std::string>{"int", "b", ";"}));
}

}  // namespace
}  // namespace lockspan::cpp
