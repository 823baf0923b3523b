"""Parameter counts of DARTS' evaluation networks (NetworkCIFAR, NetworkImageNet, from DARTS' model.py and
operations.py) for a genotype, counted as DARTS counts them (auxiliary head excluded). The reference for the
counts pinned in test/network. Usage: python3 darts_params.py GENOTYPE_JSON"""
import json, sys
import torch.nn as nn


def relu_conv_bn(cin, cout):
    return nn.Sequential(nn.ReLU(), nn.Conv2d(cin, cout, 1, bias=False), nn.BatchNorm2d(cout))


class FactorizedReduce(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.c2 = nn.Conv2d(cin, cout // 2, 1, 2, bias=False)
        self.bn = nn.BatchNorm2d(cout)


def sep(c, k, s):
    p = k // 2
    return nn.Sequential(nn.Conv2d(c, c, k, s, p, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c),
                         nn.Conv2d(c, c, k, 1, p, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))


OPS = {
    'sep_conv_3x3': lambda c, s: sep(c, 3, s), 'sep_conv_5x5': lambda c, s: sep(c, 5, s),
    'dil_conv_3x3': lambda c, s: nn.Sequential(nn.Conv2d(c, c, 3, s, 2, 2, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c)),
    'dil_conv_5x5': lambda c, s: nn.Sequential(nn.Conv2d(c, c, 5, s, 4, 2, groups=c, bias=False), nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c)),
    'max_pool_3x3': lambda c, s: nn.MaxPool2d(3, s, 1), 'avg_pool_3x3': lambda c, s: nn.AvgPool2d(3, s, 1),
    'skip_connect': lambda c, s: nn.Identity() if s == 1 else FactorizedReduce(c, c),
}


def cells(g, C, L, cpp, cp, reduction_prev):
    out, c = [], C
    for i in range(L):
        red = i in (L // 3, 2 * L // 3)
        if red:
            c *= 2
        pairs = g['reduce' if red else 'normal']
        out += [FactorizedReduce(cpp, c) if reduction_prev else relu_conv_bn(cpp, c), relu_conv_bn(cp, c)]
        out += [OPS[op](c, 2 if red and j < 2 else 1) for op, j in pairs]
        reduction_prev, cpp, cp = red, cp, 4 * c
    return out, cp


def count(modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def main():
    g = json.load(open(sys.argv[1]))
    cs, cp = cells(g, 36, 20, 108, 108, False)
    cifar = count([nn.Conv2d(3, 108, 3, padding=1, bias=False), nn.BatchNorm2d(108), nn.Linear(cp, 10)] + cs)
    cs, cp = cells(g, 48, 14, 48, 48, True)
    imagenet = count([nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.Conv2d(24, 48, 3, 2, 1, bias=False), nn.BatchNorm2d(48),
                      nn.Conv2d(48, 48, 3, 2, 1, bias=False), nn.BatchNorm2d(48), nn.Linear(cp, 1000)] + cs)
    print(json.dumps({'cifar_C36_L20': cifar, 'imagenet_C48_L14': imagenet}))


if __name__ == '__main__':
    main()
