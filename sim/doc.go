// Package sim is a simulator of the Rancher 1.6 management API (/v2-beta, with /v1 routed onto it).
//
// It is a TEST DOUBLE of a third-party server. It exists so that the original rancher-compose
// v0.12.5 client and our own client can be developed, tested and demonstrated without a Rancher
// server, and so that users can rehearse a pipeline. It never runs a container: hosts and containers
// are records in memory whose states walk the way Rancher's do. It is never a deploy target.
//
// The reference is ../shared/docs/rancher-api.md: the wire format of §3 (every schema field rendered,
// nulls included, from the real /v2-beta/schemas dump embedded in this package; links; actions only
// in the states where they are legal; transitioning yes/no/error; X-API-Schemas on every answer;
// filters, pagination; error JSON), the state machines of §5, the scheduler of §6 (sim/scheduler),
// health checks and healthState aggregation of §5.3 (sim/health) and scripts/transform of §4.12
// (sim/transform).
//
// # Starting one
//
// From Go (tests): Start(Options{...}) serves on a random loopback port; URL, AccessKey and SecretKey
// say how to reach it; Close stops it. Options.Clock chooses RealClock (the default, Options.Step per
// state step), ManualClock (time moves only with Advance) or FastClock (time jumps to the next event
// whenever every simulated process waits: intervals and health-check periods cost no wall time; Settle
// waits until nothing can progress any more, or SettleHorizon of simulated time). Stacks, Services,
// Containers, Service, Container, Snapshot and Stats read the state without HTTP; SetFaults,
// SetImageBehaviors, AddImageBehavior, AddHost, RemoveHost, CrashContainer, RevokeKey and Reset change
// it. A Server is also an http.Handler (New builds one without listening). From the command line:
// `rancher-compose sim --help`.
//
// A process's timed waits are laid end to end on the clock: each is measured from when the one before it
// was due (or the process was started), not from when the process got the server's lock back, so a
// transition of three steps takes 3×Step on a loaded simulator too (the bench measures the client against
// Step, so the simulator keeps to it rather than adding its own lock queueing). A wait for a condition
// ends at an unknown time, so the next step is measured from when the process runs again.
//
// # Control API (JSON, under /_sim/, not authenticated, not counted in the stats)
//
//	GET  /_sim/          the list below
//	GET  /_sim/stats     {"requests":N,"mutations":M,"byMethod":{"GET":n,…},"byStatus":{"409":n,…},"injectedErrors":n}
//	                     since start or the last reset; mutations are POST/PUT/DELETE that may change state
//	                     (scripts/transform and the exportconfig/logs actions are not mutations)
//	POST /_sim/reset     empty environment (hosts re-created, settings kept), counters zeroed
//	GET|PUT /_sim/faults the Faults (latency, jitter, errorRate, errorStatus, proxyErrors, conflictBurst,
//	                     dropRate, stuckStates, errorStates, errorMessage); PUT replaces them
//	POST /_sim/revoke    {"accessKey":"KEY"}: the key is refused (401) from now on
//	GET|PUT /_sim/features {"exposeExitCode":bool}: Options.ExposeExitCode, switched at run time
//	GET|PUT /_sim/images the ImageBehavior list (glob, neverHealthy, unhealthyAfter, failStart, exitCode,
//	                     pullDelay); PUT replaces it, POST adds one; applies to containers created afterwards
//	POST /_sim/advance   {"duration":"5s"} moves a manual clock
//	POST /_sim/hosts     {"labels":{"k":"v"}} adds an active host (global services spread onto it)
//	GET  /_sim/state     stacks, services and containers with their states and histories
//	POST /_sim/crash     {"id":"1i3","exitCode":137}: a running container exits by itself; its active
//	                     service reconciles (updating-active) and starts it again (startCount+1)
//	POST /_sim/removehost {"id":"1h2"}: lose a host (also DELETE /v2-beta/hosts/1h2); its containers
//	                     vanish, services recreate them elsewhere, global services follow the host set
//
// # Faults (rancher-api.md §7.3)
//
// Latency+jitter delay every answer. ErrorRate answers that fraction with ErrorStatus (503 by
// default) in Cattle's error JSON, or with a proxy's HTML page when ProxyErrors is set; for mutating requests they alternate between "before" (nothing changed) and "after" (the
// change was applied, then the answer replaced by the 503). ConflictBurst answers the next N mutating
// requests 409 Conflict without applying them. DropRate closes the connection without an answer,
// after the request was applied. StuckStates park any process entering one of those states
// (transitioning stays "yes" until another action or a remove supersedes it); ErrorStates stop it there
// with transitioning "error" and ErrorMessage.
//
// # Choices made where the spec is unsure (§7.5 and elsewhere)
//
//   - JSON is written with Go's encoder: keys sorted like Cattle's, but forward slashes are not escaped
//     ("http://" rather than Cattle's "http:\/\/"); both are the same JSON.
//   - Services, containers and stacks are encoded once per change of what they show and served from that
//     (rendercache.go); RANCHER_SIM_VERIFY_RENDER_CACHE=1 compares every cached encoding with a fresh one
//     by encoding/json (the package's tests run with it). What a create or a placement would otherwise
//     look for among every service or container is indexed: services by stack and name and those with a
//     selector (svcindex.go), what is on each host for the scheduler (placement.go); the tests compare
//     every placement made from the kept host views with one made afresh.
//   - Concurrency: one lock over the whole simulation, a read-write one. Requests that only read (GETs of
//     stored collections, resources and their links) hold it for reading and are served side by side, as
//     Cattle serves reads from its database while processes run. A list page is one consistent picture
//     unless a change waits for the lock while the page renders: the page then lets it in every 0.5 ms
//     and renders the rest as it then is, leaving out what its filters no longer select (renderPage;
//     Cattle's pages are not one moment either: it fills each listed item with queries of its own).
//     Changes and simulated processes hold it for writing. Processes queue for it one at a time (the API
//     comes first: a request waits behind at most one process, not behind the hundreds a big deploy has
//     ready at --step 0), and scripts/transform, a pure conversion, takes no lock. Readers wait for the
//     writers that came before them, not for later ones (lockRead), so that requests are served about
//     in the order they came rather than a writer and then every reader that came meanwhile, in turn.
//     Answers are rendered under the lock but encoded after it (pendingRender), and request bodies
//     decoded before it. The request log shows each request's wait for the lock ("[lock 12µs]") before
//     its answer time.
//   - A POST answers in the first transitioning state: service "registering", stack "activating",
//     container "requested"; process actions answer 202 already in their transitioning state.
//   - DELETE answers 200 (§3.3, Cattle's deleteInternal), in state "removing"; deleting something
//     already removing/removed is 405. (The fake behind the recorded traces answered 202.)
//   - PUT changing scale (or scalePolicy, selectorContainer, lbConfig) on an active service runs
//     update (updating-active, reconcile); on an inactive one updating-inactive; in the other start
//     states of Cattle's service.update (activating, updating-active, upgrading, rolling-back,
//     finishing-upgrade, canceling-upgrade) it rides on the running process; in any other state
//     (upgraded, canceled-upgrade, registering…) the answer is 409 and the value is saved all the
//     same, as Cattle's AbstractObjectResourceManager.updateInternal saves before it schedules the
//     process (so a later rollback reconciles to the saved scale). Other updatable fields are saved
//     in every state; non-updatable ones (launchConfig…) are silently ignored.
//   - With access control off, keyless requests act in the only project, 1a5 "Default".
//   - Account keys (Options.AccountKeys) see stack and service schemas read-only unless the URL names a
//     project they belong to (/v2-beta/projects/1a5/..., or the X-API-Project-Id header or projectId
//     parameter, which scope the request without changing the URLs in the answer); other projects
//     answer 403.
//   - The schema document is the full dump (all 127 types of the admin view), links rewritten, with
//     the environment-key permissions of §1.5 applied where a deploy client can tell: hosts and
//     instances cannot be created (POST /hosts answers 405).
//   - Settings: the public ones only, ids 1as!<name>, readable by name.
//   - Containers of an in-service upgrade replacement take the lowest free unit number, so old and
//     new containers can share a name; a full upgrade gives the new containers a new deployment unit.
//   - A failed placement or start leaves the container in "error" and the service in its
//     transitioning state with transitioning "error" and "Failed to allocate instance [container:1iN]";
//     it is retried with back-off 2 s × 1.1ⁿ (capped near 1 min) and the failed units are replaced.
//   - Health checks run every interval; "unhealthy after N" means the checks start failing N after the
//     container became healthy (it turns unhealthy unhealthyThreshold checks later). initializingTimeout
//     is checked at every interval, not on a 60 s sweep.
//   - A container of an image with an exit code stops one step after running; start-once containers
//     (label io.rancher.container.start_once=true) are then left stopped, others are restarted by the
//     service's reconcile. The exit code shows in ContainerInfo and the log stream (the container
//     schema has no exit-code field).
//   - Exit codes in the API (Options.ExposeExitCode, `sim --expose-exit-code`, PUT /_sim/features): off by
//     default, so the simulator stays the captured 1.6 API, in which a start-once job that exited 1 looks
//     like one that exited 0 (rancher/rancher#5978, #9783). On, it models a Cattle carrying the never-merged
//     rancher/cattle#2903: the container schema gains lastExitCode (a read-only nullable int, shaped like
//     startCount) and containers render it, null until the container stopped by itself (an image exit
//     code or /_sim/crash), then that code, kept across restarts. A stop asked through the API does not
//     set it (the PR also took the code of docker's stop event). Switching it changes the rendering and
//     the schema at once, for existing containers too.
//   - Container logs: the logs action answers a hostAccess {url: ws://…/v1/logs/, token}; the
//     websocket sends text frames "01 <line>" (stdout) and "02 <line>" (stderr), then a heartbeat a
//     second while following.
//   - Stack exportconfig renders compose v2 text from the stored launch configs (not the original
//     files). Stack upgrade with compose text gives an in-service upgrade (batch 1) to every service
//     whose primary launch config differs and creates new ones, then the stack is "upgraded";
//     without compose text it just walks upgrading → upgraded.
//   - A stack created with dockerCompose text runs a small executor (§4.1.1): the common compose
//     keys (image, command, entrypoint, environment, labels, ports, expose, volumes, volumes_from,
//     net/network_mode, mem_limit, links, io.rancher.sidekicks; rancher-compose scale, health_check,
//     retain_ip, lb_config) become services, linked, and the stack turns active only once every one
//     is registered (inactive, ready for activateservices), then activates them with startOnCreate;
//     any error puts the stack in state error with transitioning "error" and the message. String
//     values are interpolated ($a, ${a}, ${a:-x}, $$) from the stack's environment plus the defaults
//     of the .catalog questions; keys are not; an unset variable is empty.
//   - Environment ports come from the project's servicesPortRange (49153-65535 by default), lowest
//     free port first where Cattle starts at a random point of the range; they are freed when the
//     service is removed. A pool too small leaves the new service in transitioning "error" with
//     Cattle's "Not enough environment ports to create service. Needed: N, available: M".
//   - Named volumes of service containers become volume and mount resources (below). Anonymous
//     volumes ("/data") and host binds ("/a:/b") make none: Cattle learns of those from the agent.
//   - The collections the schemas advertise but the simulator does not model answer GET with real,
//     derived content where it holds the data (ports, mounts, images, networks, serviceExposeMaps,
//     ipAddresses, storagePools, apiKeys — secretValue null, accounts = the project; containerEvents
//     are the docker events create/start/die/destroy of each container's state history,
//     serviceEvents its health-check verdicts UP/DOWN; auditLogs one entry per mutating request,
//     eventType "api.<type>.<create|update|delete|action>" and the response code, never the request
//     body, the newest 5000 kept) and an empty
//     collection otherwise (registries, machines, composeProjects, identities, …); POST
//     to them answers 405. Derived records keep their id while their source lives and are "removed"
//     (retrievable by id) after it goes.
//   - scalePolicy starts at min and grows by increment up to max after each successful deployment; a
//     failed placement lowers the target by one instead of retrying.
//   - Removed resources stay retrievable by id; containers are forgotten an hour after removal (so
//     endless placement retries do not grow memory), other resources never.
//
// # Cattle's behaviour followed, with its source
//
// Cattle = rancher/cattle v0.183.83 (Rancher 1.6); RCE = rancher/rancher-compose-executor (the
// server-side compose runner Cattle hands stack processes to).
//
//   - Ports on service create (ServiceCreate → ServiceDiscoveryServiceImpl.setPorts, PortSpec.toSpec):
//     "80:81" → "80:81/tcp", "10.0.0.1:8080:80/udp" kept, "123" → "<pool port>:123/tcp" allocated from
//     the environment port pool (EnvironmentPortGeneratorFactory, AccountConstants
//     environment.services.port.range=49153-65535); a loadBalancerService gets its private port as
//     public ("7900/tcp" → "7900:7900/tcp"); ports with a public port come first, allocated ones after.
//     Bad specs are 422 PortWrongFormat / PortInvalidPublicPort / PortInvalidPrivatePort /
//     PortInvalidProtocol (ServiceValidationFilter parses every port with PortSpec). The pool is
//     released when the service is removed (releasePorts). An in-service upgrade allocates nothing:
//     a new port without a public one keeps the old public port of the same private port, and then
//     every port is rewritten to its full spec (ServiceDiscoveryUtil.preserveOldRandomPorts).
//   - Embedded objects (gdapi IdFormatterUtils.formatType): a field of a schema type, also inside
//     array[…] and map[…], renders as {"type": <schema id>} plus the schema's fields that are stored,
//     nulls kept, other keys dropped: launchConfig.build comes back {"type":"dockerBuild",…},
//     disks entries "virtualMachineDisk", secondaryLaunchConfigs "secondaryLaunchConfig".
//     blkioDeviceOptions entries carry all five fields because scripts/transform serialises Cattle's
//     BlkioDeviceOption class (DockerTransformerImpl.setBlkioDeviceOptionss), nulls included, and the
//     original client sends them back as it got them.
//   - Stack upgrade, finish, rollback (RCE executor/handlers/upgrade_handler.go and project.go): the
//     upgrade answer still shows the old environment; when done, environment = old environment +
//     question defaults + the upgrade's environment (createVariableMap, constructProjectUpgrade),
//     externalId = the upgrade's ("" when it names none), previousExternalId = the earlier previous
//     one or else the current externalId ("" for none), previousEnvironment likewise; finishupgrade
//     clears both previous fields; rollback restores externalId only from a non-empty previous one
//     (so it stays the new one when there was none, as test_service.py notes) and the environment
//     from previousEnvironment, and clears both.
//   - Compose interpolation on the server (RCE createVariableMap): variables = the stack's
//     environment, plus each .catalog question's default the environment does not set.
//   - PUT of scale and the other scheduleUpdate fields (AbstractObjectResourceManager.updateInternal
//     saves, then schedules service.update; its start states in spring-process-context.xml): see the
//     PUT bullet above.
//   - Named volumes (servicediscovery DeploymentUnit.createVolume / isNamedVolume): "name:/path" whose
//     name has no "/"; a volumeTemplate of the stack by that name gives "<stack>_<name>_<5 random>"
//     shared by the stack, or "<stack>_<name>_<index>_<unit uuid>_<5 random>" per deployment unit
//     with perContainer, or, external, the existing volume of that name (missing: placement fails,
//     "Failed to locate volume for instance of deployment unit [uuid]"); other names are plain local
//     volumes. Each use is a mount (path, permissions rw/ro) and the container's dataVolumeMounts.
//   - State machines (spring-process-context.xml): finishupgrade passes finishing-upgrade,
//     cancelupgrade canceling-upgrade → canceled-upgrade (continueupgrade, rollback from there),
//     PUT scale and container crashes updating-active, restart restarting; a service whose
//     containers are partly unhealthy is degraded.
//
// # The original's integration suite (rancher-compose v0.12.5 tests/integration/cattletest/core)
//
// test_service.py drives stacks with compose text through the API; it is ported in
// upstream_service_test.go. test_compose.py runs the CLI; every row is ported through our CLI in
// ../e2e (original_*_test.go), and the rows whose assertions depend on what Cattle does on service
// create are also ported at the API level, with the original client's request bodies, in
// upstream_compose_test.go. All pass.
//
//	test_service.py
//	   test_stack_create_upgrade_finish               sim TestUpstreamServiceStackCreateUpgradeFinish  pass
//	   test_stack_create_and_upgrade                  sim TestUpstreamServiceStackCreateAndUpgrade  pass
//	   test_stack_change_scale_upgrade                sim TestUpstreamServiceStackChangeScaleUpgrade  pass
//	   test_stack_create_circles                      sim TestUpstreamServiceStackCreateCircles  pass
//	   test_stack_variable_interpolation              sim TestUpstreamServiceStackVariableInterpolation  pass
//	test_compose.py (row numbers of original-behavior.md §4.1)
//	    1 test_build                                     skipped upstream (@pytest.mark.skipif)
//	    2 test_args                                      e2e TestRow02Args; sim TestUpstreamComposeArgs  pass
//	    3 test_git_build                                 e2e TestRow03GitBuild; sim TestUpstreamComposeGitBuild  pass
//	    4 test_circular_sidekick                         e2e TestRow04CircularSidekick  pass
//	    5 test_delete                                    e2e TestRow05Delete  pass
//	    6 test_bindings                                  e2e TestRow06Bindings  pass
//	    7 test_delete_while_stopped                      e2e TestRow07DeleteWhileStopped  pass
//	    8 test_network_bridge                            e2e TestRow08To12NetworkModes  pass
//	    9 test_network_none                              e2e TestRow08To12NetworkModes  pass
//	   10 test_network_container                         e2e TestRow08To12NetworkModes  pass
//	   11 test_network_managed                           e2e TestRow08To12NetworkModes  pass
//	   12 test_network_default                           e2e TestRow08To12NetworkModes  pass
//	   13 test_env_file                                  e2e TestRow13EnvFile  pass
//	   14 test_extends                                   e2e TestRow14Extends; sim TestUpstreamComposeExtends  pass
//	   15 test_extends_1556                              e2e TestRow15Extends1556  pass
//	   16 test_extends_1556_2                            e2e TestRow16Extends1556ExtendingABaseWithLinksFails  pass
//	   17 test_lb_basic                                  e2e TestRow17LBBasic  pass
//	   18 test_lb_private                                e2e TestRow18LBPrivate  pass
//	   19 test_lb_hostname_and_path                      e2e TestRow19LBHostnameAndPath  pass
//	   20 test_lb_full_config                            e2e TestRow20LBFullConfig  pass
//	   21 test_legacy_lb_private                         e2e TestRow21LegacyLBPrivate  pass
//	   22 test_legacy_lb_basic                           e2e TestRow22LegacyLBBasic  pass
//	   23 test_legacy_lb_ssl                             e2e TestRow23LegacyLBSSL  pass
//	   24 test_legacy_lb_default_port_http               e2e TestRow24To26LegacyLBDefaultPorts; sim TestUpstreamComposeLegacyLBPorts  pass
//	   25 test_legacy_lb_default_port_with_mapped_tcp    e2e TestRow24To26LegacyLBDefaultPorts; sim TestUpstreamComposeLegacyLBPorts  pass
//	   26 test_legacy_lb_default_port_with_tcp           e2e TestRow24To26LegacyLBDefaultPorts; sim TestUpstreamComposeLegacyLBPorts  pass
//	   27 test_legacy_lb_label_basic                     e2e TestRow27LegacyLBLabelBasic; sim TestUpstreamComposeLegacyLBPorts  pass
//	   28 test_legacy_lb_path_name                       e2e TestRow28LegacyLBPathName; sim TestUpstreamComposeLegacyLBPorts  pass
//	   29 test_legacy_lb_label_override                  e2e TestRow29LegacyLBLabelOverride; sim TestUpstreamComposeLegacyLBPorts  pass
//	   30 test_legacy_lb_full_config                     e2e TestRow30LegacyLBFullConfig; sim TestUpstreamComposeLegacyLBPorts  pass
//	   31 test_links                                     e2e TestRow31Links  pass
//	   32 test_volumes_from                              e2e TestRow32VolumesFrom  pass
//	   33 test_sidekick_simple                           e2e TestRow33SidekickSimple  pass
//	   34 test_sidekick_container_network                e2e TestRow34SidekickContainerNetwork  pass
//	   35 test_not_external_service_hostname             e2e TestRow35NotExternalServiceHostname  pass
//	   36 test_external_service_hostname                 e2e TestRow36ExternalServiceHostname  pass
//	   37 test_external_ip                               e2e TestRow37ExternalIP  pass
//	   38 test_service_inplace_rollback                  e2e TestRow38ServiceInplaceRollback  pass
//	   39 test_service_inplace_upgrade_inactive          e2e TestRow39ServiceInplaceUpgradeInactive  pass
//	   40 test_service_inplace_upgrade                   e2e TestRow40ServiceInplaceUpgrade  pass
//	   41 test_upgrade_add_sidekick                      e2e TestRow41UpgradeAddSidekick  pass
//	   42 test_upgrade_remove_sidekick                   e2e TestRow42UpgradeRemoveSidekick  pass
//	   43 test_service_hash_with_rancher                 e2e TestRow43ServiceHashWithRancher  pass
//	   44 test_service_hash_no_change                    e2e TestRow44ServiceHashNoChange  pass
//	   45 test_dns_service                               e2e TestRow45DNSService  pass
//	   46 test_up_relink                                 e2e TestRow46UpRelink  pass
//	   47 test_service_upgrade_from_nil                  e2e TestRow47ServiceUpgradeFromNil  pass
//	   48 test_service_upgrade_no_global_on_src          e2e TestRow48ServiceUpgradeNoGlobalOnSource  pass
//	   49 test_service_upgrade_no_global_on_dest         e2e TestRow49ServiceUpgradeNoGlobalOnDest  pass
//	   50 test_service_map_syntax                        e2e TestRow50ServiceMapSyntax  pass
//	   51 test_cross_stack_link                          e2e TestRow51CrossStackLink  pass
//	   52 test_up_deletes_links                          e2e TestRow52UpDeletesLinks  pass
//	   53 test_upgrade_no_source                         e2e TestRow53UpgradeNoSource  pass
//	   54 test_upgrade_ignore_scale                      e2e TestRow54UpgradeIgnoreScale  pass
//	   55 test_service_link_with_space                   e2e TestRow55ServiceLinkWithSpace  pass
//	   56 test_circle_simple                             e2e TestRow56CircleSimple  pass
//	   57 test_one_circle                                e2e TestRow57OneCircle  pass
//	   58 test_circle_madness                            e2e TestRow58CircleMadness  pass
//	   59 test_variables                                 e2e TestRow59Variables  pass
//	   60 test_metadata_on_service                       e2e TestRow60MetadataOnService  pass
//	   61 test_healthchecks                              e2e TestRow61Healthchecks  pass
//	   62 test_restart_no                                e2e TestRow62RestartNo  pass
//	   63 test_stack_case                                e2e TestRow63StackCase  pass
//	   64 test_certs                                     skipped upstream (@pytest.mark.skipif)
//	   65 test_cert_not_found                            e2e TestRow65CertNotFound  pass
//	   66 test_project_name                              e2e TestRow66And67ProjectNameReusesMixedCaseStack  pass
//	   67 test_project_name_case_insensitive             e2e TestRow66And67ProjectNameReusesMixedCaseStack  pass
//	   68 test_project_name_with_dots                    e2e TestRow68ProjectNameWithDots  pass
//	   69 test_create_then_up_on_circle                  e2e TestRow69CreateThenUpOnCircle  pass
//	   70 test_expose_port_ignore                        e2e TestRow70ExposePortIgnore  pass
//	   71 test_create_no_update_links                    e2e TestRow71CreateNoUpdateLinks  pass
//	   72 test_pull_sidekick                             e2e TestRow72PullSidekick  pass
//	   73 test_retain_ip                                 e2e TestRow73RetainIP  pass
//	   74 test_no_update_selector_link                   e2e TestRow74NoUpdateSelectorLink  pass
//	   75 test_sidekick_build_remote                     e2e TestRow75SidekickBuildRemote  pass
//	   76 test_sidekick_healthcheck                      e2e TestRow76SidekickHealthcheck  pass
//	   77 test_force_upgrade_primary                     e2e TestRow77ForceUpgradePrimary  pass
//	   78 test_virtual_machine                           e2e TestRow78VirtualMachine; sim TestUpstreamComposeVirtualMachine  pass
//	   79 test_cyclic_link_dependency                    e2e TestRow79CyclicLinkDependency  pass
//	   80 test_yaml_corner_cases                         e2e TestRow80YamlCornerCases  pass
//	   81 test_environment_variables                     e2e TestRow81EnvironmentVariables  pass
//
// # rancher-api.md §7.4 checklist
//
//	1  X-API-Schemas everywhere, scoped lower-case links   ✓ TestChecklist01SchemasHeaderOnEveryAnswerAndScopedLowerCaseLinks
//	2  unknown filters ignored, removed_null, pagination    ✓ TestChecklist02FiltersUnknownIgnoredNilAcceptedPagination
//	3  error JSON shape and codes                           ✓ TestChecklist03ErrorJSONShapeAndCodes, TestBadPortSpecIsRefusedLikePortSpec
//	4  actions per state, ActionNotAvailable                ✓ TestChecklist04ActionsPerStateAndActionNotAvailable
//	5  PUT ignores launchConfig, applies scale, 409 upgraded ✓ TestChecklist05PutIgnoresLaunchConfigAppliesScale409InUpgraded, TestPutScaleInUpgradedAnswers409AndKeepsTheValueLikeCattle
//	6  in-service upgrade (batches, startFirst, rollback)   ✓ TestChecklist06InServiceUpgradeBatchesIntervalOldKeptFinishRollback, TestChecklist06StartFirstStartsNewBeforeStoppingOld
//	7  transitioning yes/no/error                           ✓ TestChecklist07TransitioningYesExactlyInTransitioningStatesAndErrorByFault
//	8  healthState aggregation incl. degraded               ✓ TestChecklist08HealthStateAggregation, TestTransitionOneUnhealthyContainerMakesTheServiceDegraded
//	9  scheduling (affinities, global, sidekicks, ports)    ✓ TestChecklist09SchedulingAffinityGlobalSidekicksReservationsPorts
//	10 removed hidden but retrievable, names while removing ✓ TestChecklist10RemovedHiddenRetrievableNameStillTakenWhileRemoving
package sim
