// Turns repository configuration into analysis options: the seam between
// config/ (what users write) and analysis/ (which knows nothing of YAML).
#pragma once

#include "analysis/analyzer.h"
#include "config/repo_config.h"

namespace lockspan::bot {

AnalyzeOptions options_from_config(const config::RepoConfig& config, int jobs);
// Reads and parses a configuration file; throws config::ConfigError or std::runtime_error.
config::RepoConfig load_config_file(const std::string& path);

}  // namespace lockspan::bot
