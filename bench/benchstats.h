#pragma once

// Figures the benchmarks report, shared so every table computes them the same way.
#include <algorithm>
#include <vector>

namespace ferry::bench {

// The p-quantile (0..1) of the samples, nearest rank; 0 without samples.
inline double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace ferry::bench
