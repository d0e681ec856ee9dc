#include "bot/git_change.h"

#include <git2.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <memory>
#include <utility>

namespace lockspan::git {
namespace {

// libgit2 keeps global state (thread-local errors, caches); initialise it
// once and never shut it down, since other Repository objects may live
// until exit.
void ensure_libgit2() {
  static const int once = git_libgit2_init();
  (void)once;
}

template <typename T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

using ObjectPtr = Owned<git_object, git_object_free>;
using CommitPtr = Owned<git_commit, git_commit_free>;
using TreePtr = Owned<git_tree, git_tree_free>;
using TreeEntryPtr = Owned<git_tree_entry, git_tree_entry_free>;
using BlobPtr = Owned<git_blob, git_blob_free>;
using DiffPtr = Owned<git_diff, git_diff_free>;
using PatchPtr = Owned<git_patch, git_patch_free>;
using ConfigPtr = Owned<git_config, git_config_free>;

std::string last_error() {
  const git_error* e = git_error_last();
  return e && e->message ? e->message : "unknown libgit2 error";
}

// For failures the user cannot cause with a bad argument (corrupt or
// unreadable repositories): say what we were doing and what libgit2 said.
void check(int rc, const std::string& doing) {
  if (rc < 0)
    throw Error(doing + ": " + last_error());
}

std::string hex(const git_oid& id) {
  char buf[GIT_OID_HEXSZ + 1];
  return git_oid_tostr(buf, sizeof buf, &id);
}

std::string trim_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/')
    path.pop_back();
  return path;
}

git_oid resolve_oid(git_repository* repo, const std::string& rev,
                    const std::string& where) {
  git_object* raw = nullptr;
  int rc = rev.empty() ? GIT_ENOTFOUND
                       : git_revparse_single(&raw, repo, rev.c_str());
  ObjectPtr obj(raw);
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
    throw Error("unknown revision '" + rev + "' in " + where);
  if (rc == GIT_EAMBIGUOUS)
    throw Error("ambiguous revision '" + rev + "' in " + where +
                "; use more hex digits");
  check(rc, "cannot resolve '" + rev + "' in " + where);

  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0) {
    throw Error("revision '" + rev + "' in " + where + " is a " +
                git_object_type2string(git_object_type(obj.get())) +
                ", not a commit");
  }
  git_oid id = *git_object_id(peeled);
  git_object_free(peeled);
  return id;
}

// `a` and `b` are the revspecs behind `ia` and `ib`, for messages.
git_oid merge_base_oid(git_repository* repo, const git_oid& ia,
                       const git_oid& ib, const std::string& a,
                       const std::string& b, const std::string& where) {
  git_oid base;
  int rc = git_merge_base(&base, repo, &ia, &ib);
  if (rc == GIT_ENOTFOUND) {
    throw Error("'" + a + "' and '" + b + "' have no common ancestor in " +
                where);
  }
  check(rc, "cannot find the merge base of '" + a + "' and '" + b + "'");
  return base;
}

TreePtr commit_tree(git_repository* repo, const git_oid& id) {
  git_commit* commit = nullptr;
  check(git_commit_lookup(&commit, repo, &id), "cannot read commit " + hex(id));
  CommitPtr owned(commit);
  git_tree* tree = nullptr;
  check(git_commit_tree(&tree, commit), "cannot read the tree of " + hex(id));
  return TreePtr(tree);
}

// True when the ref exists and leads to a commit.
bool ref_is_commit(git_repository* repo, const std::string& refname) {
  git_object* raw = nullptr;
  if (git_revparse_single(&raw, repo, refname.c_str()) < 0)
    return false;
  ObjectPtr obj(raw);
  git_object* peeled = nullptr;
  if (git_object_peel(&peeled, obj.get(), GIT_OBJECT_COMMIT) < 0)
    return false;
  git_object_free(peeled);
  return true;
}

std::optional<std::string> config_string(git_repository* repo,
                                         const char* name) {
  git_config* raw = nullptr;
  if (git_repository_config_snapshot(&raw, repo) < 0)
    return std::nullopt;
  ConfigPtr config(raw);
  const char* value = nullptr;
  if (git_config_get_string(&value, config.get(), name) < 0 || !*value)
    return std::nullopt;
  return std::string(value);
}

// --- diff ------------------------------------------------------------------

// FORCE_TEXT keeps .gitattributes out of it: libgit2 reads those from the
// working tree and the index, which must not sway the result. Binary files
// are recognised from blob content instead (see is_binary) and never
// reach the text diff.
git_diff_options diff_options() {
  git_diff_options opts;
  git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
  opts.flags = GIT_DIFF_FORCE_TEXT | GIT_DIFF_INCLUDE_TYPECHANGE |
               GIT_DIFF_INDENT_HEURISTIC;  // on by default in git since 2.14
  opts.context_lines = 3;
  opts.interhunk_lines = 0;
  return opts;
}

FileStatus to_status(git_delta_t delta) {
  switch (delta) {
    case GIT_DELTA_ADDED: return FileStatus::Added;
    case GIT_DELTA_DELETED: return FileStatus::Deleted;
    case GIT_DELTA_RENAMED: return FileStatus::Renamed;
    case GIT_DELTA_COPIED: return FileStatus::Copied;
    case GIT_DELTA_TYPECHANGE: return FileStatus::TypeChanged;
    default: return FileStatus::Modified;
  }
}

bool is_blob_mode(uint16_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE ||
         mode == GIT_FILEMODE_LINK;
}

// The blob on one side of a delta, or null when that side has none.
BlobPtr side_blob(git_repository* repo, const git_diff_file& side) {
  if (!is_blob_mode(side.mode) || git_oid_is_zero(&side.id))
    return nullptr;
  git_blob* blob = nullptr;
  check(git_blob_lookup(&blob, repo, &side.id),
        std::string("cannot read the blob of ") + side.path);
  return BlobPtr(blob);
}

// The test libgit2's diff applies when attributes say nothing, which is
// also core git's: a NUL in the first 8000 bytes, or a blob above the
// default max_size. (git_blob_is_binary is stricter and would hide text
// diffs that GitHub shows.)
bool is_binary(const git_blob* blob) {
  constexpr git_object_size_t kMaxTextSize = 512 * 1024 * 1024;
  constexpr git_object_size_t kSniffBytes = 8000;
  if (!blob)
    return false;
  git_object_size_t size = git_blob_rawsize(blob);
  return size > kMaxTextSize ||
         memchr(git_blob_rawcontent(blob), 0, std::min(size, kSniffBytes));
}

void collect_hunks(git_patch* patch, ChangedFile& file) {
  for (size_t h = 0; h < git_patch_num_hunks(patch); ++h) {
    const git_diff_hunk* hunk = nullptr;
    size_t lines = 0;
    check(git_patch_get_hunk(&hunk, &lines, patch, h), "cannot read a hunk");
    file.hunks.push_back(
        {hunk->old_start, hunk->old_lines, hunk->new_start, hunk->new_lines});
    for (size_t l = 0; l < lines; ++l) {
      const git_diff_line* line = nullptr;
      check(git_patch_get_line_in_hunk(&line, patch, h, l),
            "cannot read a diff line");
      if (line->origin == GIT_DIFF_LINE_ADDITION)
        file.added_lines.insert(line->new_lineno);
    }
  }
}

// git prints a type change as a deletion plus an addition, so the HEAD
// side is all '+' lines; diff the new blob against nothing to match that.
PatchPtr typechange_patch(const git_blob* head, const char* path) {
  git_diff_options opts = diff_options();
  git_patch* patch = nullptr;
  check(git_patch_from_blobs(&patch, nullptr, nullptr, head, path, &opts),
        std::string("cannot diff ") + path);
  return PatchPtr(patch);
}

ChangedFile describe(git_repository* repo, git_diff* diff, size_t index) {
  const git_diff_delta* delta = git_diff_get_delta(diff, index);
  const bool deleted = delta->status == GIT_DELTA_DELETED;
  const git_diff_file& head = deleted ? delta->old_file : delta->new_file;

  ChangedFile file;
  file.status = to_status(delta->status);
  file.path = head.path;
  file.old_path = delta->old_file.path;
  file.submodule = head.mode == GIT_FILEMODE_COMMIT;
  file.symlink = head.mode == GIT_FILEMODE_LINK;
  if (!deleted)
    file.blob_sha = hex(delta->new_file.id);

  BlobPtr new_blob = deleted ? nullptr : side_blob(repo, delta->new_file);
  BlobPtr old_blob = side_blob(repo, delta->old_file);
  if (new_blob)
    file.size = static_cast<int64_t>(git_blob_rawsize(new_blob.get()));

  // A gitlink's "content" is only a commit id: nothing to comment on.
  if (delta->old_file.mode == GIT_FILEMODE_COMMIT ||
      delta->new_file.mode == GIT_FILEMODE_COMMIT)
    return file;
  file.binary = is_binary(old_blob.get()) || is_binary(new_blob.get());
  if (file.binary)
    return file;

  PatchPtr patch;
  if (delta->status == GIT_DELTA_TYPECHANGE) {
    if (new_blob)
      patch = typechange_patch(new_blob.get(), head.path);
  } else {
    git_patch* raw = nullptr;
    check(git_patch_from_diff(&raw, diff, index),
          "cannot diff " + file.path);
    patch.reset(raw);
  }
  if (patch)
    collect_hunks(patch.get(), file);
  return file;
}

DiffPtr tree_diff(git_repository* repo, git_tree* old_tree,
                  git_tree* new_tree) {
  git_diff_options opts = diff_options();
  git_diff* raw = nullptr;
  check(git_diff_tree_to_tree(&raw, repo, old_tree, new_tree, &opts),
        "cannot compare trees");
  DiffPtr diff(raw);

  git_diff_find_options find;
  git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
  find.flags = GIT_DIFF_FIND_RENAMES;
  find.rename_threshold = 50;
  check(git_diff_find_similar(diff.get(), &find), "cannot detect renames");
  return diff;
}

}  // namespace

std::string_view to_string(FileStatus status) {
  switch (status) {
    case FileStatus::Added: return "added";
    case FileStatus::Modified: return "modified";
    case FileStatus::Deleted: return "deleted";
    case FileStatus::Renamed: return "renamed";
    case FileStatus::Copied: return "copied";
    case FileStatus::TypeChanged: return "typechanged";
  }
  return "modified";
}

bool ChangedFile::line_in_hunk(int line) const {
  return std::any_of(hunks.begin(), hunks.end(), [line](const Hunk& h) {
    return line >= h.new_start && line < h.new_start + h.new_lines;
  });
}

// --- Repository ------------------------------------------------------------

Repository::Repository(git_repository* repo, std::string location)
    : repo_(repo), location_(std::move(location)) {}

Repository::~Repository() { git_repository_free(repo_); }

Repository::Repository(Repository&& other) noexcept
    : repo_(std::exchange(other.repo_, nullptr)),
      location_(std::move(other.location_)) {}

Repository& Repository::operator=(Repository&& other) noexcept {
  if (this != &other) {
    git_repository_free(repo_);
    repo_ = std::exchange(other.repo_, nullptr);
    location_ = std::move(other.location_);
  }
  return *this;
}

Repository Repository::open(const std::string& dir) {
  ensure_libgit2();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw Error("no such directory: " + dir);

  git_repository* raw = nullptr;
  int rc = git_repository_open_ext(&raw, dir.c_str(), 0, nullptr);
  if (rc == GIT_ENOTFOUND)
    throw Error("not a git repository (nor any of its parents): " + dir);
  if (rc == GIT_EOWNER) {
    throw Error("git refuses to use the repository at " + dir +
                " because another user owns it; if it is trusted, run: "
                "git config --global --add safe.directory " + dir);
  }
  check(rc, "cannot open the git repository at " + dir);

  const char* workdir = git_repository_workdir(raw);
  std::string location = trim_slash(workdir ? workdir : git_repository_path(raw));
  return Repository(raw, std::move(location));
}

std::string Repository::resolve(const std::string& rev) const {
  return hex(resolve_oid(repo_, rev, location_));
}

std::string Repository::default_branch() const {
  git_reference* raw = nullptr;
  if (git_reference_lookup(&raw, repo_, "refs/remotes/origin/HEAD") == 0) {
    Owned<git_reference, git_reference_free> head(raw);
    if (git_reference_type(head.get()) == GIT_REFERENCE_SYMBOLIC) {
      std::string target = git_reference_symbolic_target(head.get());
      const std::string prefix = "refs/remotes/";
      if (target.starts_with(prefix) && ref_is_commit(repo_, target))
        return target.substr(prefix.size());
    }
  }

  std::vector<std::string> names;
  if (auto configured = config_string(repo_, "init.defaultBranch"))
    names.push_back(*configured);
  for (const char* name : {"main", "master", "trunk"}) {
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(name);
  }
  for (const std::string& name : names) {
    if (ref_is_commit(repo_, "refs/remotes/origin/" + name))
      return "origin/" + name;
    if (ref_is_commit(repo_, "refs/heads/" + name))
      return name;
  }
  throw Error("cannot tell the default branch of " + location_ +
              ": refs/remotes/origin/HEAD is not set and no main, master or "
              "trunk branch exists; name the base branch explicitly");
}

std::string Repository::merge_base(const std::string& a,
                                   const std::string& b) const {
  git_oid ia = resolve_oid(repo_, a, location_);
  git_oid ib = resolve_oid(repo_, b, location_);
  return hex(merge_base_oid(repo_, ia, ib, a, b, location_));
}

Change Repository::diff(const std::string& base_rev,
                        const std::string& head_rev) const {
  git_oid base = resolve_oid(repo_, base_rev, location_);
  git_oid head = resolve_oid(repo_, head_rev, location_);
  git_oid fork = merge_base_oid(repo_, base, head, base_rev, head_rev, location_);
  TreePtr old_tree = commit_tree(repo_, fork);
  TreePtr new_tree = commit_tree(repo_, head);
  DiffPtr diff = tree_diff(repo_, old_tree.get(), new_tree.get());

  Change change{hex(base), hex(head), hex(fork), {}};
  size_t n = git_diff_num_deltas(diff.get());
  change.files.reserve(n);
  for (size_t i = 0; i < n; ++i)
    change.files.push_back(describe(repo_, diff.get(), i));
  std::sort(change.files.begin(), change.files.end(),
            [](const ChangedFile& x, const ChangedFile& y) {
              return x.path < y.path;
            });
  return change;
}

std::optional<std::string> Repository::read_file(
    const std::string& commit, const std::string& path) const {
  TreePtr tree = commit_tree(repo_, resolve_oid(repo_, commit, location_));
  git_tree_entry* raw = nullptr;
  int rc = path.empty() ? GIT_ENOTFOUND
                        : git_tree_entry_bypath(&raw, tree.get(), path.c_str());
  if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC)
    return std::nullopt;
  check(rc, "cannot look up " + path + " in " + commit);
  TreeEntryPtr entry(raw);
  if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB)
    return std::nullopt;

  git_blob* blob = nullptr;
  check(git_blob_lookup(&blob, repo_, git_tree_entry_id(entry.get())),
        "cannot read " + path + " at " + commit);
  BlobPtr owned(blob);
  auto data = static_cast<const char*>(git_blob_rawcontent(blob));
  return std::string(data, git_blob_rawsize(blob));
}

std::vector<std::string> Repository::list_files(
    const std::string& commit) const {
  TreePtr tree = commit_tree(repo_, resolve_oid(repo_, commit, location_));
  std::vector<std::string> paths;
  // A C callback must not throw; a failed allocation stops the walk instead.
  auto visit = [](const char* root, const git_tree_entry* entry,
                  void* payload) -> int {
    if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
      return 0;
    try {
      static_cast<std::vector<std::string>*>(payload)->push_back(
          std::string(root) + git_tree_entry_name(entry));
    } catch (...) {
      return -1;
    }
    return 0;
  };
  check(git_tree_walk(tree.get(), GIT_TREEWALK_PRE, +visit, &paths),
        "cannot list the files of " + commit);
  std::sort(paths.begin(), paths.end());
  return paths;
}

}  // namespace lockspan::git
