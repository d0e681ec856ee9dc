// Reads the change under review straight from git objects through libgit2.
//
// Nothing here looks at the working tree or the index: a review must judge
// the commits that were pushed, not whatever happens to be checked out, so
// a dirty or missing checkout (bare repositories included) gives the same
// answer. No `git` program is needed at run time.
//
// Hunks use 3 lines of context and git's indent heuristic, which is what
// `git diff` and GitHub's pull-request diff show, so a line the bot wants
// to comment on is "in the diff" exactly when GitHub will accept it.

#ifndef LOCKSPAN_BOT_GIT_CHANGE_H_
#define LOCKSPAN_BOT_GIT_CHANGE_H_

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct git_repository;

namespace lockspan::git {

/// what() is a complete sentence fit to show the user as is.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One "@@ -old_start,old_lines +new_start,new_lines @@" of the diff,
/// with the same numbers git prints (a side with no lines has start 0 at
/// the top of a file, otherwise the line before the hunk).
struct Hunk {
  int old_start = 0, old_lines = 0, new_start = 0, new_lines = 0;

  bool operator==(const Hunk&) const = default;
};

enum class FileStatus { Added, Modified, Deleted, Renamed, Copied, TypeChanged };

/// "added", "modified", "deleted", "renamed", "copied", "typechanged".
std::string_view to_string(FileStatus status);

struct ChangedFile {
  std::string path;          // path at HEAD ('/'-separated); for Deleted, the old path
  std::string old_path;      // path at the merge base; equals path unless renamed
  FileStatus status = FileStatus::Modified;
  // Either side has a NUL in its first 8000 bytes (or exceeds 512 MiB):
  // libgit2's and git's own test. .gitattributes is not consulted.
  bool binary = false;
  // These two describe the HEAD side (for Deleted, the removed entry).
  bool submodule = false;    // gitlink entry (mode 160000)
  bool symlink = false;      // mode 120000; never followed
  int64_t size = 0;          // blob size at HEAD (0 when deleted or a submodule)
  std::string blob_sha;      // object id at HEAD (a submodule's commit); empty when deleted
  std::vector<Hunk> hunks;   // merge-base..HEAD; empty for binary files and submodules
  std::set<int> added_lines; // the '+' lines of the diff, HEAD numbering, 1-based

  /// True when `line` (HEAD numbering) lies inside some hunk's new-side
  /// range, context lines included: the lines GitHub lets a review
  /// comment attach to.
  bool line_in_hunk(int line) const;

  bool operator==(const ChangedFile&) const = default;
};

struct Change {
  std::string base_sha, head_sha, merge_base_sha;  // full hex ids
  std::vector<ChangedFile> files;                  // sorted by path

  bool operator==(const Change&) const = default;
};

/// A repository opened read-only. Not safe to share between threads; open
/// one per thread instead.
class Repository {
 public:
  /// `dir` may be the work tree, any directory below it, a .git directory
  /// or a bare repository; the repository is found by searching upward as
  /// git does (stopping at a filesystem boundary).
  static Repository open(const std::string& dir);

  ~Repository();
  Repository(Repository&& other) noexcept;
  Repository& operator=(Repository&& other) noexcept;

  /// Any revspec git understands ("HEAD", "main", "origin/main", a full or
  /// abbreviated sha, "HEAD~2", a tag) peeled to a commit; full hex id.
  std::string resolve(const std::string& rev) const;

  /// A revspec for the branch changes are reviewed against: the branch
  /// refs/remotes/origin/HEAD points at (as "origin/NAME"); otherwise the
  /// first of init.defaultBranch, main, master, trunk that exists, trying
  /// "origin/NAME" before the local "NAME" because a local copy of the
  /// default branch is often stale in CI and in forks.
  std::string default_branch() const;

  /// Best common ancestor of two revspecs; throws when they share none.
  std::string merge_base(const std::string& a, const std::string& b) const;

  /// What `head_rev` changes relative to where it forked from `base_rev`
  /// (merge-base..head, like a pull request), with rename detection at 50%
  /// similarity.
  Change diff(const std::string& base_rev, const std::string& head_rev) const;

  /// Blob content of `path` in `commit` (any revspec). nullopt when the
  /// path is absent or is a directory or submodule. A symlink's content is
  /// its target text; the link is not followed.
  std::optional<std::string> read_file(const std::string& commit,
                                       const std::string& path) const;

  /// Every blob path in `commit`'s tree, recursively, sorted. Symlinks are
  /// blobs and so are listed; submodules are not.
  std::vector<std::string> list_files(const std::string& commit) const;

  /// The work tree (or, for a bare repository, the git directory) without
  /// a trailing '/': how messages name the repository.
  const std::string& location() const { return location_; }

 private:
  Repository(git_repository* repo, std::string location);

  git_repository* repo_ = nullptr;
  std::string location_;
};

}  // namespace lockspan::git

#endif  // LOCKSPAN_BOT_GIT_CHANGE_H_
