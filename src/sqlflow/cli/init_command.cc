#include "sqlflow/cli/init_command.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "sqlflow/cli/progress.h"
#include "sqlflow/cli/table.h"

#include <CLI/CLI.hpp>

namespace sqlflow::cli {

namespace fs = std::filesystem;

namespace {

// The project directory for `target`: absolute, without a trailing separator.
fs::path ProjectPath(const std::string& target) {
  if (target.empty()) throw InvalidInput("init needs a project name, e.g. sqlflow init my_project");
  std::error_code ec;
  fs::path path = fs::absolute(target, ec).lexically_normal();
  if (ec) throw InvalidInput(fmt::format("cannot resolve '{}': {}", target, ec.message()));
  if (!path.has_filename()) path = path.parent_path();
  return path;
}

void RefuseExisting(const fs::path& path, const std::string& target) {
  std::error_code ec;
  fs::file_status status = fs::status(path, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status)) {
    throw InvalidInput(fmt::format("'{}' exists and is not a directory", target));
  }
  if (!fs::is_empty(path, ec)) {
    throw InvalidInput(fmt::format(
        "directory '{}' already exists and is not empty: choose another name, or remove it "
        "first (init never overwrites files)",
        target));
  }
}

void WriteFile(const fs::path& path, const std::string& content) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec) {
    throw Error(fmt::format("cannot create '{}': {}", path.parent_path().string(), ec.message()),
                ErrorClass::kPermanent);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw Error(fmt::format("cannot write '{}'", path.string()), ErrorClass::kPermanent);
}

// Write every file; on failure remove the directory again when this call created it.
void WriteProject(const fs::path& dir, const std::vector<TemplateFile>& files) {
  std::error_code ec;
  bool created = fs::create_directories(dir, ec);
  if (ec) {
    throw Error(fmt::format("cannot create '{}': {}", dir.string(), ec.message()),
                ErrorClass::kPermanent);
  }
  try {
    for (const TemplateFile& file : files) WriteFile(dir / file.path, file.content);
    fs::create_directories(dir / "output", ec);
    if (ec) {
      throw Error(fmt::format("cannot create '{}': {}", (dir / "output").string(), ec.message()),
                  ErrorClass::kPermanent);
    }
  } catch (...) {
    if (created) fs::remove_all(dir, ec);
    throw;
  }
}

// "1,000 rows" for a CSV file with a header line.
std::string RowsOf(const std::string& csv) {
  int64_t lines = 0;
  for (char c : csv) lines += c == '\n' ? 1 : 0;
  return FormatCount(lines > 0 ? lines - 1 : 0) + " rows";
}

std::string Summary(const std::string& target, const fs::path& dir,
                    const std::vector<TemplateFile>& files) {
  std::vector<std::vector<std::string>> rows;
  for (const TemplateFile& file : files) {
    bool csv = file.path.size() > 4 && file.path.compare(file.path.size() - 4, 4, ".csv") == 0;
    rows.push_back(
        {file.path, csv ? RowsOf(file.content) + " of " + file.description : file.description});
  }
  rows.push_back({"output/", "where the pipeline writes its results"});
  return fmt::format("Created project {} in {}:\n", dir.filename().string(), dir.string()) +
         FormatTable(rows) +
         fmt::format("\nNext steps:\n  cd {} && sqlflow pipeline run {}\n", target,
                     kSamplePipeline);
}

}  // namespace

ExitCode InitProject(const std::string& target, const GlobalOptions& global, const CliEnv& env,
                     const SampleDataOptions& options) {
  fs::path dir = ProjectPath(target);
  RefuseExisting(dir, target);
  std::vector<TemplateFile> files = ProjectTemplate(dir.filename().string(), options);
  WriteProject(dir, files);
  if (!global.quiet) env.out << Summary(target, dir, files);
  return ExitCode::kSuccess;
}

void AddInitCommand(CLI::App& app, const CliEnv& env, const GlobalOptions& global,
                    CommandFn* chosen) {
  auto target = std::make_shared<std::string>();
  CLI::App* init =
      app.add_subcommand("init", "Create a project with sample data and a pipeline that runs");
  init->add_option("NAME", *target, "Project directory to create")->required();
  init->callback([&env, &global, chosen, target] {
    *chosen = [&env, &global, target] { return InitProject(*target, global, env); };
  });
}

}  // namespace sqlflow::cli
