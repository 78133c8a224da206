// The host tests run one test class at a time. Each host is isolated (its own job store, meters and folder), but side by
// side on two cores the browser tests and the crash and simulation tests slow each other past their timeouts: the
// designer's load timed out once in two runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
