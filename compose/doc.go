// Package compose loads a rancher-compose project: docker-compose files plus one rancher-compose.yml,
// into one typed, validated model that every command uses.
//
// Loading runs in fixed steps, each over trees that keep file:line:column for every value:
//
//  1. discover the files (-f, COMPOSE_FILE, defaults, docker-compose.override.yml, -r) and the project name;
//  2. parse raw YAML (yaml.v3 nodes; aliases and merge keys resolved, duplicate keys warned, last wins;
//     an alias inside the value it names is an error, and expansion stops at 100,000 values);
//  3. interpolate every scalar value (keys are never interpolated);
//  4. normalise each compose file to the version 2 layout, resolve `extends`, merge the -f files in order;
//  5. pick the rancher-compose source (rancher-compose.yml, or the first compose file when that is
//     missing or empty) and apply the TryConvertStringsToInts rule of the original;
//  6. decode and validate, collecting every problem at once;
//  7. return a Project, or a *ConfigError (exit code 2) listing all problems.
//
// A value an error was reported about is marked, so checks that would only repeat that error (a service
// without an image after a broken extends, "expected an integer" after a bad ${VAR) stay quiet.
//
// Warnings (unknown keys, unset variables, keys Rancher cannot honour, duplicate keys) are returned on the
// Project (Project.Warnings) and on ConfigError.Warnings, never printed by this package.
package compose
