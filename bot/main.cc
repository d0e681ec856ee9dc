#include <exception>
#include <iostream>

#include "bot/cli.h"

int main(int argc, char** argv) {
  try {
    return lockspan::bot::run_cli(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "lockspan: error: " << e.what() << "\n";
    return lockspan::bot::kExitFailure;
  }
}
