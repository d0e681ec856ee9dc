// Builds real repositories with the git CLI and reads them back through
// lockspan::git, which must see only committed objects.

#include "bot/git_change.h"

#include <git2.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;
namespace lg = lockspan::git;

namespace {

fs::path make_temp_dir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (!mkdtemp(tmpl.data()))
    throw std::runtime_error("mkdtemp failed");
  // libgit2 reports canonical paths; compare like with like.
  return fs::canonical(tmpl);
}

// Runs a shell command; returns its output without the final newline and
// throws with that output on failure.
std::string run(const std::string& cmd) {
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  if (!pipe)
    throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;)
    out.append(buf, n);
  int status = pclose(pipe);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("command failed: " + cmd + "\n" + out);
  if (out.ends_with('\n'))
    out.pop_back();
  return out;
}

// "name 1\nname 2\n..." : lines distinct enough to make diffs unambiguous.
std::string numbered(int n, const std::string& name = "line") {
  std::string text;
  for (int i = 1; i <= n; ++i)
    text += name + " " + std::to_string(i) + "\n";
  return text;
}

std::string replace_line(const std::string& text, int line,
                         const std::string& with) {
  std::istringstream in(text);
  std::string out, l;
  for (int i = 1; std::getline(in, l); ++i)
    out += (i == line ? with : l) + "\n";
  return out;
}

// The message of the lg::Error that `f` throws; "" when it throws none.
template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const lg::Error& e) {
    return e.what();
  }
  return "";
}

// The hunks and '+' lines of `git diff` output, parsed independently of
// libgit2, so we can check we agree with what GitHub (plain git) shows.
struct CliDiff {
  std::vector<lg::Hunk> hunks;
  std::set<int> added;
};

CliDiff parse_unified(const std::string& text) {
  static const std::regex header(R"(^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@)");
  CliDiff diff;
  std::istringstream in(text);
  std::string line;
  int new_line = 0;
  while (std::getline(in, line)) {
    std::smatch m;
    auto count = [&m](int i) { return m[i].matched ? std::stoi(m[i]) : 1; };
    if (std::regex_search(line, m, header)) {
      diff.hunks.push_back({std::stoi(m[1]), count(2), std::stoi(m[3]), count(4)});
      new_line = diff.hunks.back().new_start;
    } else if (!diff.hunks.empty() && line.starts_with("+")) {
      diff.added.insert(new_line++);
    } else if (!diff.hunks.empty() && line.starts_with(" ")) {
      ++new_line;
    }
  }
  return diff;
}

class GitChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = make_temp_dir("lockspan-git-");
    repo_ = root_ / "repo";
    // Neither git nor libgit2 may see the developer's own config (a global
    // commit.gpgsign or init.defaultBranch would change the fixtures).
    fs::path home = root_ / "home";
    fs::create_directories(home);
    env_ = "env -u GIT_DIR -u GIT_WORK_TREE -u GIT_INDEX_FILE -u GIT_CONFIG_GLOBAL"
           " GIT_CONFIG_NOSYSTEM=1 HOME=" + q(home) + " XDG_CONFIG_HOME=" + q(home) +
           " GIT_AUTHOR_NAME=Test GIT_AUTHOR_EMAIL=test@example.com"
           " GIT_COMMITTER_NAME=Test GIT_COMMITTER_EMAIL=test@example.com";
    git_libgit2_init();
    for (int level : kConfigLevels)
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, home.c_str());
    git_at(root_, "init -q -b main repo");
  }
  void TearDown() override {
    for (int level : kConfigLevels)
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, nullptr);
    fs::remove_all(root_);
  }

  static constexpr int kConfigLevels[] = {
      GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
      GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL};

  static std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

  std::string git_at(const fs::path& dir, const std::string& args) {
    return run(env_ + " git -C " + q(dir) + " " + args);
  }
  std::string git(const std::string& args) { return git_at(repo_, args); }
  void write(const std::string& rel, const std::string& content) {
    fs::path p = repo_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }
  std::string commit(const std::string& message) {
    git("add -A");
    git("commit -q --allow-empty -m '" + message + "'");
    return git("rev-parse HEAD");
  }
  // Commits `files` on main as the fork point, then starts branch "feature".
  std::string fork(const std::map<std::string, std::string>& files = {
                       {"keep.txt", "keep\n"}}) {
    for (const auto& [path, content] : files)
      write(path, content);
    std::string sha = commit("base");
    git("checkout -q -b feature");
    return sha;
  }
  lg::Change diff(const std::string& base = "main",
                  const std::string& head = "HEAD") {
    return lg::Repository::open(repo_.string()).diff(base, head);
  }
  // A copy, so callers may pass a temporary Change.
  static lg::ChangedFile only_file(const lg::Change& c) {
    EXPECT_EQ(c.files.size(), 1u);
    return c.files.empty() ? lg::ChangedFile{} : c.files[0];
  }

  fs::path root_, repo_;
  std::string env_;
};

// --- repositories and revisions ---------------------------------------------

TEST_F(GitChangeTest, ResolvesBranchShaTagAndRelativeRevisions) {
  write("a.txt", "one\n");
  std::string first = commit("first");
  write("a.txt", "two\n");
  std::string second = commit("second");
  git("tag -a v1 -m release " + first);

  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(repo.resolve("main"), second);
  EXPECT_EQ(repo.resolve("HEAD"), second);
  EXPECT_EQ(repo.resolve("HEAD~1"), first);
  EXPECT_EQ(repo.resolve(first), first);
  EXPECT_EQ(repo.resolve(first.substr(0, 10)), first);
  EXPECT_EQ(repo.resolve("v1"), first);  // annotated tag peeled to its commit
}

TEST_F(GitChangeTest, UnknownRevisionIsAClearError) {
  write("a.txt", "one\n");
  commit("first");
  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(error_of([&] { repo.resolve("no-such-branch"); }),
            "unknown revision 'no-such-branch' in " + repo_.string());
  EXPECT_EQ(error_of([&] { repo.diff("main", "nope"); }),
            "unknown revision 'nope' in " + repo_.string());
  EXPECT_NE(error_of([&] { repo.resolve("HEAD~5"); }), "");
  EXPECT_NE(error_of([&] { repo.resolve(""); }), "");
  EXPECT_EQ(error_of([&] { repo.resolve("HEAD:a.txt"); }),
            "revision 'HEAD:a.txt' in " + repo_.string() +
                " is a blob, not a commit");
}

TEST_F(GitChangeTest, OpensFromSubdirectoryOrBareCloneAndRejectsNonRepos) {
  write("src/deep/a.txt", "one\n");
  std::string head = commit("first");

  auto from_sub = lg::Repository::open((repo_ / "src/deep").string());
  EXPECT_EQ(from_sub.resolve("HEAD"), head);
  EXPECT_EQ(from_sub.location(), repo_.string());
  lg::Repository moved = std::move(from_sub);
  EXPECT_EQ(moved.resolve("HEAD"), head);

  fs::path bare = root_ / "bare.git";
  git_at(root_, "clone -q --bare repo bare.git");
  moved = lg::Repository::open(bare.string());
  EXPECT_EQ(moved.resolve("main"), head);
  EXPECT_EQ(moved.read_file("main", "src/deep/a.txt"), "one\n");

  fs::create_directories(root_ / "plain");
  EXPECT_EQ(error_of([&] { lg::Repository::open((root_ / "plain").string()); }),
            "not a git repository (nor any of its parents): " +
                (root_ / "plain").string());
  EXPECT_EQ(error_of([&] { lg::Repository::open((root_ / "gone").string()); }),
            "no such directory: " + (root_ / "gone").string());
}

TEST_F(GitChangeTest, DefaultBranchPrefersOriginHeadThenOriginBranches) {
  fs::path origin = root_ / "origin";
  git_at(root_, "init -q -b trunk origin");
  git_at(origin, "commit -q --allow-empty -m first");
  git_at(origin, "branch main");
  fs::path clone = root_ / "clone";
  git_at(root_, "clone -q origin clone");
  // Local branches must not beat what origin says.
  git_at(clone, "branch main");

  auto repo = lg::Repository::open(clone.string());
  EXPECT_EQ(repo.default_branch(), "origin/trunk");
  EXPECT_EQ(repo.resolve(repo.default_branch()),
            git_at(origin, "rev-parse trunk"));
  git_at(clone, "remote set-head origin -d");
  EXPECT_EQ(repo.default_branch(), "origin/main");
}

TEST_F(GitChangeTest, DefaultBranchGuessesFromWellKnownNames) {
  commit("first");
  auto guess = [&] { return lg::Repository::open(repo_.string()).default_branch(); };
  EXPECT_EQ(guess(), "main");
  git("branch -m main master");
  EXPECT_EQ(guess(), "master");
  // The configured default name wins over the usual suspects.
  git("branch develop");
  git("config init.defaultBranch develop");
  EXPECT_EQ(guess(), "develop");

  git("config --unset init.defaultBranch");
  git("branch -m master feature");
  EXPECT_TRUE(error_of(guess).starts_with("cannot tell the default branch of " +
                                          repo_.string()));
}

// --- the change --------------------------------------------------------------

TEST_F(GitChangeTest, ModifiedLineGetsThreeLinesOfContext) {
  std::string text = numbered(20);
  std::string base = fork({{"src/a.cc", text}});
  text = replace_line(text, 10, "changed 10");
  write("src/a.cc", text);
  std::string head = commit("edit");

  lg::Change c = diff();
  EXPECT_EQ(c.base_sha, base);
  EXPECT_EQ(c.head_sha, head);
  EXPECT_EQ(c.merge_base_sha, base);
  const lg::ChangedFile f = only_file(c);
  EXPECT_EQ(f.path, "src/a.cc");
  EXPECT_EQ(f.old_path, "src/a.cc");
  EXPECT_EQ(lg::to_string(f.status), "modified");
  EXPECT_FALSE(f.binary || f.symlink || f.submodule);
  EXPECT_EQ(f.added_lines, std::set<int>{10});
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{7, 7, 7, 7})});
  EXPECT_FALSE(f.line_in_hunk(6));
  EXPECT_TRUE(f.line_in_hunk(7) && f.line_in_hunk(10) && f.line_in_hunk(13));
  EXPECT_FALSE(f.line_in_hunk(14));
  EXPECT_EQ(f.blob_sha, git("rev-parse HEAD:src/a.cc"));
  EXPECT_EQ(f.size, static_cast<int64_t>(text.size()));
}

TEST_F(GitChangeTest, AddedFileIsAllAddedLines) {
  fork();
  write("new/b.h", numbered(4));
  commit("add");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.path, "new/b.h");
  EXPECT_EQ(f.status, lg::FileStatus::Added);
  EXPECT_EQ(f.added_lines, (std::set<int>{1, 2, 3, 4}));
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{0, 0, 1, 4})});
  EXPECT_EQ(f.size, static_cast<int64_t>(numbered(4).size()));
  EXPECT_EQ(f.blob_sha, git("rev-parse HEAD:new/b.h"));
}

TEST_F(GitChangeTest, DeletedFileHasOldPathAndNoAddedLines) {
  fork({{"keep.txt", "keep\n"}, {"gone.txt", numbered(3)}});
  git("rm -q gone.txt");
  commit("delete");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.path, "gone.txt");
  EXPECT_EQ(f.old_path, "gone.txt");
  EXPECT_EQ(f.status, lg::FileStatus::Deleted);
  EXPECT_TRUE(f.added_lines.empty());
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{1, 3, 0, 0})});
  EXPECT_FALSE(f.line_in_hunk(1));
  EXPECT_TRUE(f.blob_sha.empty());
  EXPECT_EQ(f.size, 0);
}

TEST_F(GitChangeTest, RenameWithSmallEditKeepsOnlyTheEdit) {
  std::string text = numbered(20, "some longer line of code");
  fork({{"old/name.cc", text}});
  git("mv old/name.cc new_name.cc");
  write("new_name.cc", replace_line(text, 5, "edited"));
  commit("rename");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.status, lg::FileStatus::Renamed);
  EXPECT_EQ(f.path, "new_name.cc");
  EXPECT_EQ(f.old_path, "old/name.cc");
  EXPECT_EQ(f.added_lines, std::set<int>{5});
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{2, 7, 2, 7})});
}

TEST_F(GitChangeTest, DiffStartsAtTheMergeBaseNotTheBaseTip) {
  std::string text = numbered(30);
  std::string fork_point = fork({{"shared.txt", text}});
  write("shared.txt", replace_line(text, 25, "feature 25"));
  std::string head = commit("feature work");
  git("checkout -q main");
  write("shared.txt", replace_line(text, 3, "main 3"));
  write("main_only.txt", "later on main\n");
  std::string main_tip = commit("main moves on");

  lg::Change c = diff("main", "feature");
  EXPECT_EQ(c.base_sha, main_tip);
  EXPECT_EQ(c.head_sha, head);
  EXPECT_EQ(c.merge_base_sha, fork_point);
  EXPECT_EQ(lg::Repository::open(repo_.string()).merge_base("main", "feature"),
            git("merge-base main feature"));
  // Neither main's new file nor its edit of line 3 is part of the change.
  const lg::ChangedFile f = only_file(c);
  EXPECT_EQ(f.path, "shared.txt");
  EXPECT_EQ(f.added_lines, std::set<int>{25});
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{22, 7, 22, 7})});
}

TEST_F(GitChangeTest, NoCommonAncestorIsAnError) {
  commit("first");
  git("checkout -q --orphan other");
  commit("unrelated");
  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(error_of([&] { repo.merge_base("main", "other"); }),
            "'main' and 'other' have no common ancestor in " + repo_.string());
  EXPECT_NE(error_of([&] { repo.diff("main", "other"); }), "");
}

TEST_F(GitChangeTest, BinaryFileHasNoHunks) {
  fork();
  write("img.png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\x01\nzz\n", 21));
  commit("binary");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.status, lg::FileStatus::Added);
  EXPECT_TRUE(f.binary);
  EXPECT_TRUE(f.hunks.empty());
  EXPECT_TRUE(f.added_lines.empty());
  EXPECT_EQ(f.size, 21);
}

// git (and so GitHub) calls a file binary only for a NUL byte; control
// characters alone still diff as text.
TEST_F(GitChangeTest, ControlCharactersWithoutNulAreText) {
  fork();
  write("ansi.log", "\x1b[31m\x01\x02\n\x1b[0m\x03\x04\n\x05\x06\x07\n");
  commit("control characters");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_FALSE(f.binary);
  EXPECT_EQ(f.added_lines, (std::set<int>{1, 2, 3}));
  EXPECT_EQ(git("diff --numstat main HEAD"), "3\t0\tansi.log");
}

TEST_F(GitChangeTest, SymlinkIsReportedAndNotFollowed) {
  std::ofstream(root_ / "outside.txt") << numbered(50, "secret");
  fork();
  fs::create_symlink("../outside.txt", repo_ / "link");
  commit("symlink");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.path, "link");
  EXPECT_EQ(f.status, lg::FileStatus::Added);
  EXPECT_TRUE(f.symlink);
  EXPECT_FALSE(f.binary);
  // The blob is the link text, not the 50 lines it points at.
  EXPECT_EQ(f.size, static_cast<int64_t>(std::string("../outside.txt").size()));
  EXPECT_EQ(f.added_lines, std::set<int>{1});
  EXPECT_EQ(lg::Repository::open(repo_.string()).read_file("HEAD", "link"),
            "../outside.txt");
}

TEST_F(GitChangeTest, FileTurnedIntoSymlinkIsATypeChange) {
  fork({{"thing", numbered(5)}});
  fs::remove(repo_ / "thing");
  fs::create_symlink("elsewhere", repo_ / "thing");
  commit("typechange");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.status, lg::FileStatus::TypeChanged);
  EXPECT_TRUE(f.symlink);
  // Like git, the new side reads as wholly added.
  EXPECT_EQ(f.added_lines, std::set<int>{1});
  EXPECT_EQ(f.hunks, std::vector<lg::Hunk>{(lg::Hunk{0, 0, 1, 1})});
}

TEST_F(GitChangeTest, SubmoduleHasNoHunks) {
  std::string some_commit = fork();
  git("update-index --add --cacheinfo 160000," + some_commit + ",vendor/lib");
  git("commit -q -m submodule");

  const lg::ChangedFile f = only_file(diff());
  EXPECT_EQ(f.path, "vendor/lib");
  EXPECT_EQ(f.status, lg::FileStatus::Added);
  EXPECT_TRUE(f.submodule);
  EXPECT_TRUE(f.hunks.empty());
  EXPECT_TRUE(f.added_lines.empty());
  EXPECT_EQ(f.blob_sha, some_commit);
  EXPECT_EQ(f.size, 0);
  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(repo.read_file("HEAD", "vendor/lib"), std::nullopt);
  EXPECT_EQ(repo.list_files("HEAD"), std::vector<std::string>{"keep.txt"});
}

TEST_F(GitChangeTest, FilesAreSortedByPath) {
  fork({{"m.txt", "m\n"}, {"z/y.txt", "zy\n"}, {"a_old.txt", numbered(9)},
        {"q.txt", numbered(9, "q")}});
  write("b.txt", "b\n");
  write("m.txt", "m2\n");
  git("rm -q z/y.txt");
  write("a/z.txt", "az\n");
  git("mv a_old.txt z_new.txt");  // sorted by the new path
  git("mv q.txt c.txt");
  commit("several");

  std::vector<std::string> paths;
  for (const auto& f : diff().files)
    paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"a/z.txt", "b.txt", "c.txt", "m.txt",
                                             "z/y.txt", "z_new.txt"}));
}

TEST_F(GitChangeTest, DirtyWorkingTreeChangesNothing) {
  std::string text = numbered(20);
  fork({{"a.txt", text}, {"b.txt", numbered(5, "bee")}});
  write("a.txt", replace_line(text, 10, "changed"));
  commit("edit");
  lg::Change clean = diff("main", "feature");

  // Every kind of dirt: edited and staged files, an untracked file, and
  // attributes that would make the diff binary if they were read.
  write("a.txt", "scribbled over\n");
  write("b.txt", "staged edit\n");
  git("add b.txt");
  write("untracked.txt", "new\n");
  write(".gitattributes", "* binary\n*.txt -diff\n");
  git("add .gitattributes");
  write(".git/info/attributes", "* binary\n");

  lg::Change dirty = diff("main", "feature");
  EXPECT_EQ(dirty, clean);
  const lg::ChangedFile f = only_file(dirty);
  EXPECT_FALSE(f.binary);
  EXPECT_EQ(f.added_lines, std::set<int>{10});
  // A change up to the work tree's HEAD is still only committed work.
  EXPECT_EQ(diff("main", "HEAD"), clean);
}

// Multi-hunk edits, including an insertion where git's indent heuristic
// (on by default in git, so on GitHub) decides which lines are '+': our
// hunks and added lines must equal git's own.
TEST_F(GitChangeTest, HunksAndAddedLinesMatchGitCli) {
  const std::string foo = "/* function */\nfoo() {\n    foo\n}\n\n";
  const std::string bar = "/* function */\nbar() {\n    foo\n}\n\n";
  std::string body = numbered(30);
  fork({{"f.c", "1\n2\n" + foo + body}});
  body = replace_line(replace_line(body, 12, "edit 12"), 14, "edit 14");
  body = replace_line(body, 28, "edit 28") + "appended\n";
  write("f.c", "1\n2\n" + bar + foo + body);
  commit("edits");

  const lg::ChangedFile f = only_file(diff());
  CliDiff cli =
      parse_unified(git("diff --no-color --no-ext-diff -U3 main...HEAD -- f.c"));
  ASSERT_EQ(cli.hunks.size(), 3u);
  EXPECT_EQ(f.hunks, cli.hunks);
  EXPECT_EQ(f.added_lines, cli.added);
  // Without the heuristic the insertion would start at "bar() {" (line 4).
  EXPECT_EQ(f.hunks[0], (lg::Hunk{1, 5, 1, 10}));
  for (int line = 3; line <= 7; ++line)
    EXPECT_TRUE(f.added_lines.count(line)) << line;
}

// --- reading files ----------------------------------------------------------

TEST_F(GitChangeTest, ReadFileAtACommit) {
  write("a.txt", "v1\n");
  std::string first = commit("first");
  const std::string bytes("a\0b\0\xff", 5);
  write("a.txt", "v2\n");
  write("dir/sub/b.bin", bytes);
  commit("second");

  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(repo.read_file(first, "a.txt"), "v1\n");
  EXPECT_EQ(repo.read_file("HEAD", "a.txt"), "v2\n");
  EXPECT_EQ(repo.read_file("HEAD~1", "a.txt"), "v1\n");
  EXPECT_EQ(repo.read_file("HEAD", "dir/sub/b.bin"), bytes);
  EXPECT_EQ(repo.read_file(first, "dir/sub/b.bin"), std::nullopt);
  EXPECT_EQ(repo.read_file("HEAD", "dir/sub"), std::nullopt);  // a tree
  EXPECT_EQ(repo.read_file("HEAD", "missing.txt"), std::nullopt);
  EXPECT_EQ(repo.read_file("HEAD", ""), std::nullopt);
  EXPECT_NE(error_of([&] { repo.read_file("no-such-rev", "a.txt"); }), "");

  // Committed content, not the work tree's.
  write("a.txt", "dirty\n");
  EXPECT_EQ(repo.read_file("HEAD", "a.txt"), "v2\n");
}

TEST_F(GitChangeTest, ListFilesIsRecursiveAndSorted) {
  for (const char* path : {"z.txt", "a.txt", "dir/b.txt", "dir/sub/c.txt", "dir.x/d.txt"})
    write(path, path);
  std::string first = commit("files");
  fs::create_symlink("a.txt", repo_ / "link");
  write("dir/sub/e.txt", "e\n");
  commit("more");
  write("untracked.txt", "not committed\n");

  auto repo = lg::Repository::open(repo_.string());
  EXPECT_EQ(repo.list_files("HEAD"),
            (std::vector<std::string>{"a.txt", "dir.x/d.txt", "dir/b.txt",
                                      "dir/sub/c.txt", "dir/sub/e.txt", "link",
                                      "z.txt"}));
  EXPECT_EQ(repo.list_files(first).size(), 5u);
}

}  // namespace
