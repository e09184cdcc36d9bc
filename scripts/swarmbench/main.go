// Command swarmbench measures the swarm engine against `docker stack deploy` followed by polling, on the
// same daemon in the same run: time from command start to every replica healthy, for a fresh deploy and
// for a rolling upgrade, and the time of a no-op `up -d`. It prints figures; it asserts nothing.
//
//	go run ./scripts/swarmbench [-rounds N]
//
// It needs a Docker daemon (swarm mode is initialised when inactive and left afterwards) and the docker
// CLI (for `docker stack deploy`). Images are built locally from fixtures/swarm/app; everything the run
// creates is removed at its end.
package main

import (
	"archive/tar"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/swarm"
)

const composeText = `version: '2'
services:
  web: {image: '${IMAGE}:${TAG}'}
  api: {image: '${IMAGE}:${TAG}', links: ['store:db']}
  store: {image: '${IMAGE}:${TAG}'}
  worker: {image: '${IMAGE}:${TAG}', links: ['web:www', 'api']}
`

const rancherText = `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
  api:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
  store:
    health_check: {port: 8080, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
  worker:
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
`

// stackFile is the same stack for docker stack deploy (compose 3.8, same probe, same update settings).
const stackFile = `version: '3.8'
x-hc: &hc
  interval: 1s
  timeout: 1s
  retries: 2
x-deploy: &deploy
  endpoint_mode: dnsrr
  update_config: {parallelism: 1, delay: 500ms, order: start-first, failure_action: pause, monitor: 2s}
x-probe: &probe
  type: bind
  source: PROBE
  target: /.rancher-compose-probe
  read_only: true
services:
  web:
    image: IMAGE:TAG
    volumes: [*probe]
    healthcheck: {<<: *hc, test: ["CMD", "/.rancher-compose-probe", "healthprobe", "http", "8080", "GET /healthz HTTP/1.0"]}
    deploy: {<<: *deploy, replicas: 2}
    networks: {default: {aliases: [www]}}
  api:
    image: IMAGE:TAG
    volumes: [*probe]
    healthcheck: {<<: *hc, test: ["CMD", "/.rancher-compose-probe", "healthprobe", "http", "8080", "GET /healthz HTTP/1.0"]}
    deploy: {<<: *deploy, replicas: 2}
  store:
    image: IMAGE:TAG
    volumes: [*probe]
    healthcheck: {<<: *hc, test: ["CMD", "/.rancher-compose-probe", "healthprobe", "tcp", "8080"]}
    deploy: {<<: *deploy, replicas: 1}
    networks: {default: {aliases: [db]}}
  worker:
    image: IMAGE:TAG
    deploy: {<<: *deploy, replicas: 1}
`

type bench struct {
	c      *swarm.Client
	dir    string
	probe  string
	image  string
	rounds int
}

func main() {
	rounds := flag.Int("rounds", 2, "measurements per figure (the minimum and median are printed)")
	flag.Parse()
	if err := run(*rounds); err != nil {
		fmt.Fprintln(os.Stderr, "swarmbench:", err)
		os.Exit(1)
	}
}

func run(rounds int) error {
	ctx := context.Background()
	c, err := swarm.Connect(ctx, swarm.EndpointFromEnv(os.Getenv))
	if err != nil {
		return err
	}
	leave, err := ensureSwarm(ctx, c)
	if err != nil {
		return err
	}
	defer leave()
	dir, err := os.MkdirTemp("", "swarmbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b := &bench{c: c, dir: dir, image: fmt.Sprintf("swarmbench%d/app", os.Getpid()), rounds: rounds}
	if err := b.buildImages(ctx); err != nil {
		return err
	}
	defer b.removeImages()
	figures := map[string][]time.Duration{}
	for i := 0; i < rounds; i++ {
		if err := b.ours(ctx, fmt.Sprintf("sbours%d", i), figures); err != nil {
			return err
		}
		if err := b.stackDeploy(ctx, fmt.Sprintf("sbstack%d", i), figures); err != nil {
			return err
		}
	}
	printFigures(figures)
	return nil
}

// ours deploys v1, runs a no-op up, upgrades to v2 (waiting for health), and removes the stack.
func (b *bench) ours(ctx context.Context, stack string, figures map[string][]time.Duration) error {
	defer b.rmOurs(stack)
	for _, step := range []struct {
		name, tag string
		o         swarm.UpOptions
	}{{"fresh deploy", "v1", swarm.UpOptions{WaitHealthy: true}}, {"no-op up -d", "v1", swarm.UpOptions{}},
		{"upgrade v1→v2", "v2", swarm.UpOptions{Upgrade: true, WaitHealthy: true}}} {
		began := time.Now()
		if err := b.up(ctx, stack, step.tag, step.o); err != nil {
			return fmt.Errorf("ours, %s: %w", step.name, err)
		}
		figures["rancher-compose --engine swarm: "+step.name] = append(figures["rancher-compose --engine swarm: "+step.name], time.Since(began))
	}
	return nil
}

func (b *bench) up(ctx context.Context, stack, tag string, o swarm.UpOptions) error {
	p, err := compose.Load(ctx, compose.Options{WorkDir: b.dir, ProjectName: stack, Environ: []string{"IMAGE=" + b.image, "TAG=" + tag}})
	if err != nil {
		return err
	}
	d, err := swarm.Map(p, swarm.MapOptions{ProbePath: b.probe, ProbeArgs: []string{"healthprobe"}, Monitor: 2 * time.Second})
	if err != nil {
		return err
	}
	obs, err := swarm.Observe(ctx, b.c, stack)
	if err != nil {
		return err
	}
	plan, err := swarm.PlanUp(d, obs, o)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	_, err = (&swarm.Executor{Client: b.c, Poll: 250 * time.Millisecond}).Execute(ctx, plan)
	return err
}

func (b *bench) rmOurs(stack string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	obs, err := swarm.Observe(ctx, b.c, stack)
	if err == nil {
		if p, err := swarm.PlanRemove(stack, obs, nil); err == nil {
			_, _ = (&swarm.Executor{Client: b.c}).Execute(ctx, p)
		}
	}
}

// stackDeploy does the same with `docker stack deploy` and polls the Engine API until converged.
func (b *bench) stackDeploy(ctx context.Context, stack string, figures map[string][]time.Duration) error {
	defer exec.Command("docker", "stack", "rm", stack).Run()
	defer b.waitStackGone(stack)
	for _, step := range []struct{ name, tag string }{{"fresh deploy", "v1"}, {"no-op deploy", "v1"}, {"upgrade v1→v2", "v2"}} {
		file := filepath.Join(b.dir, "stack-"+step.tag+".yml")
		text := strings.NewReplacer("IMAGE", b.image, "TAG", step.tag, "PROBE", b.probe).Replace(stackFile)
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			return err
		}
		began := time.Now()
		out, err := exec.CommandContext(ctx, "docker", "stack", "deploy", "--resolve-image", "never", "-c", file, stack).CombinedOutput()
		if err != nil {
			return fmt.Errorf("docker stack deploy: %v\n%s", err, out)
		}
		if err := b.pollConverged(ctx, stack, began); err != nil {
			return fmt.Errorf("docker stack deploy, %s: %w", step.name, err)
		}
		figures["docker stack deploy + polling: "+step.name] = append(figures["docker stack deploy + polling: "+step.name], time.Since(began))
	}
	return nil
}

// pollConverged waits until every service of the stack has finished any update started since began and
// runs all its replicas (healthy, since the tasks have health checks).
func (b *bench) pollConverged(ctx context.Context, stack string, began time.Time) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	for {
		svcs, err := b.c.Services(ctx, swarm.LabelNamespace+"="+stack)
		if err != nil {
			return err
		}
		done := len(svcs) == 4
		for _, s := range svcs {
			if us := s.UpdateStatus; us != nil && us.StartedAt != nil && us.StartedAt.After(began.Add(-time.Second)) && us.State != "completed" {
				done = false
			}
			tasks, err := b.c.Tasks(ctx, s.ID)
			if err != nil {
				return err
			}
			running := 0
			for _, t := range tasks {
				if t.DesiredState == "running" {
					if t.Status.State != "running" || t.Spec.ContainerSpec.Image != s.Spec.TaskTemplate.ContainerSpec.Image {
						done = false
					}
					running++
				}
			}
			if s.Spec.Mode.Replicated != nil && uint64(running) != *s.Spec.Mode.Replicated.Replicas {
				done = false
			}
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func (b *bench) waitStackGone(stack string) {
	_ = exec.Command("docker", "stack", "rm", stack).Run()
	for i := 0; i < 120; i++ {
		nets, err := b.c.Networks(context.Background(), swarm.LabelNamespace+"="+stack)
		if err == nil && len(nets) == 0 {
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func (b *bench) buildImages(ctx context.Context) error {
	b.probe = filepath.Join(b.dir, "app")
	cmd := exec.Command("go", "build", "-o", b.probe, "./fixtures/swarm/app")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building the app: %v\n%s", err, out)
	}
	exe, err := os.ReadFile(b.probe)
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, text string }{{"docker-compose.yml", composeText}, {"rancher-compose.yml", rancherText}} {
		if err := os.WriteFile(filepath.Join(b.dir, f.name), []byte(f.text), 0o644); err != nil {
			return err
		}
	}
	for _, v := range []string{"v1", "v2"} {
		dockerfile := "FROM scratch\nCOPY app /app\nENV APP_VERSION=" + v + "\nENTRYPOINT [\"/app\"]\nCMD [\"serve\"]\n"
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for name, data := range map[string][]byte{"Dockerfile": []byte(dockerfile), "app": exe} {
			_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data))})
			_, _ = tw.Write(data)
		}
		_ = tw.Close()
		if err := b.c.BuildImage(ctx, b.image+":"+v, &buf); err != nil {
			return err
		}
	}
	return nil
}

func (b *bench) removeImages() {
	for _, v := range []string{"v1", "v2"} {
		_ = b.c.RemoveImage(context.Background(), b.image+":"+v)
	}
}

// ensureSwarm initialises swarm mode when inactive; the returned func leaves it only then.
func ensureSwarm(ctx context.Context, c *swarm.Client) (func(), error) {
	st, err := c.Swarm(ctx)
	if err != nil {
		return nil, err
	}
	if st.LocalNodeState == "active" {
		return func() {}, nil
	}
	hadBridge := exec.Command("docker", "network", "inspect", "docker_gwbridge").Run() == nil
	if out, err := exec.Command("docker", "swarm", "init", "--advertise-addr", "127.0.0.1").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("docker swarm init: %v\n%s", err, out)
	}
	return func() {
		_ = exec.Command("docker", "swarm", "leave", "--force").Run()
		if !hadBridge { // swarm init created it and swarm leave keeps it
			_ = exec.Command("docker", "network", "rm", "docker_gwbridge").Run()
		}
	}, nil
}

func printFigures(figures map[string][]time.Duration) {
	names := make([]string, 0, len(figures))
	for n := range figures {
		names = append(names, n)
	}
	sort.Strings(names)
	fmt.Printf("%-56s %8s %8s\n", "figure (4 services, 6 replicas, health-gated)", "min", "median")
	for _, n := range names {
		d := append([]time.Duration(nil), figures[n]...)
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		fmt.Printf("%-56s %7.3fs %7.3fs\n", n, d[0].Seconds(), d[len(d)/2].Seconds())
	}
}
