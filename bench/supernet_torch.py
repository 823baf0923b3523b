"""PyTorch yardstick for `npm run bench -- supernet`: the same child network (DARTS search-network ops:
non-affine batch norm, batch norm after pools, FactorizedReduce) trained with the same SGD step on random
data. Prints one JSON line. Usage: python3 supernet_torch.py GENOTYPE_JSON C LAYERS BATCH SIZE STEPS [THREADS [WARMUP]]
THREADS: torch.set_num_threads (default: torch's own default, also reported as default_threads)."""
import json, sys, time, statistics, resource
START = time.time()
import torch
import torch.nn as nn
import torch.nn.functional as F


class ReLUConvBN(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.ReLU(), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout, affine=False))


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.c2 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, affine=False)

    def forward(self, x):
        x = F.relu(x)
        return self.bn(torch.cat([self.c1(x), self.c2(x[:, :, 1:, 1:])], 1))


def sep_conv(c, k, s):
    p = k // 2
    return nn.Sequential(
        nn.ReLU(), nn.Conv2d(c, c, k, s, p, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=False),
        nn.ReLU(), nn.Conv2d(c, c, k, 1, p, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c, affine=False))


def dil_conv(c, k, s):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(c, c, k, s, k - 1, 2, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False),
                         nn.BatchNorm2d(c, affine=False))


OPS = {
    'sep_conv_3x3': lambda c, s: sep_conv(c, 3, s),
    'sep_conv_5x5': lambda c, s: sep_conv(c, 5, s),
    'dil_conv_3x3': lambda c, s: dil_conv(c, 3, s),
    'dil_conv_5x5': lambda c, s: dil_conv(c, 5, s),
    'max_pool_3x3': lambda c, s: nn.Sequential(nn.MaxPool2d(3, s, 1), nn.BatchNorm2d(c, affine=False)),
    'avg_pool_3x3': lambda c, s: nn.Sequential(nn.AvgPool2d(3, s, 1, count_include_pad=False), nn.BatchNorm2d(c, affine=False)),
    'skip_connect': lambda c, s: nn.Identity() if s == 1 else FactorizedReduce(c, c),
}


class Cell(nn.Module):
    def __init__(self, pairs, concat, cpp, cp, c, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(cpp, c) if reduction_prev else ReLUConvBN(cpp, c)
        self.pre1 = ReLUConvBN(cp, c)
        self.pairs, self.concat = pairs, concat
        self.ops = nn.ModuleList([OPS[op](c, 2 if reduction and j < 2 else 1) for op, j in pairs])

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for i in range(len(self.pairs) // 2):
            (_, a), (_, b) = self.pairs[2 * i], self.pairs[2 * i + 1]
            states.append(self.ops[2 * i](states[a]) + self.ops[2 * i + 1](states[b]))
        return torch.cat([states[k] for k in self.concat], 1)


class Child(nn.Module):
    def __init__(self, g, C, L, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 3 * C, 3, padding=1, bias=False), nn.BatchNorm2d(3 * C))
        cpp, cp, c, red_prev, cells = 3 * C, 3 * C, C, False, []
        for i in range(L):
            red = i in (L // 3, 2 * L // 3)
            if red:
                c *= 2
            cells.append(Cell(g['reduce' if red else 'normal'], g['reduce_concat' if red else 'normal_concat'], cpp, cp, c, red, red_prev))
            red_prev, cpp, cp = red, cp, 4 * c
        self.cells = nn.ModuleList(cells)
        self.classifier = nn.Linear(cp, classes)

    def forward(self, x):
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(F.adaptive_avg_pool2d(s1, 1).flatten(1))


def main():
    g = json.load(open(sys.argv[1]))
    C, L, B, S, steps = map(int, sys.argv[2:7])
    default_threads = torch.get_num_threads()
    if len(sys.argv) > 7:
        torch.set_num_threads(int(sys.argv[7]))
    warmup = int(sys.argv[8]) if len(sys.argv) > 8 else 2
    torch.manual_seed(0)
    net = Child(g, C, L)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, nesterov=True, weight_decay=3e-4)
    x, y = torch.randn(B, 3, S, S), torch.randint(0, 10, (B,))

    def weight_step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(net.parameters(), 5)
        opt.step()

    def policy_step():
        with torch.no_grad():
            return (net(x).argmax(1) == y).float().mean().item()

    for _ in range(warmup):
        weight_step()
    w = []
    for _ in range(steps):
        t = time.perf_counter(); weight_step(); w.append((time.perf_counter() - t) * 1000)
    for _ in range(warmup):
        policy_step()
    p = []
    for _ in range(steps):
        t = time.perf_counter(); policy_step(); p.append((time.perf_counter() - t) * 1000)
    med = statistics.median(w)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({'impl': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(), 'default_threads': default_threads,
                      'weight_step_ms': round(med, 2), 'policy_step_ms': round(statistics.median(p), 2),
                      'train_images_per_s': round(B / med * 1000, 1), 'peak_rss_mb': round(cpu.ru_maxrss / 1024, 1),
                      'cpu_per_wall': round((cpu.ru_utime + cpu.ru_stime) / (time.time() - START), 2)}))


if __name__ == '__main__':
    main()
