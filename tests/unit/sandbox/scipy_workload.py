# A SciPy workload touching the compiled parts (LAPACK, sparse solvers, QUADPACK,
# signal design, special functions, FFT): run in the sandbox, it proves the seccomp
# allowlist is enough for them. Prints rounded results the test compares.
import numpy as np
from scipy import linalg, optimize, integrate, sparse, signal, interpolate, stats, fft, special
from scipy.sparse.linalg import spsolve
a = np.array([[4.0, 1.0], [1.0, 3.0]])
x = linalg.solve(a, [1.0, 2.0])
r = optimize.minimize(lambda v: (v[0] - 1) ** 2 + (v[1] + 2) ** 2, [0.0, 0.0])
q, _ = integrate.quad(np.sin, 0, np.pi)
m = sparse.diags([1.0, 2.0, 3.0]).tocsr()
s = spsolve(m, np.ones(3))
b, a2 = signal.butter(4, 0.2)
f = interpolate.interp1d([0, 1, 2], [0, 1, 4])(1.5)
p = stats.norm.cdf(1.96)
y = fft.fft(np.ones(8))
ev = linalg.eigh(np.eye(50) * 2 + np.ones((50, 50)))[0][-1]
print(round(x[0], 6), np.round(r.x, 3).tolist(), round(q, 6), s.tolist(), round(float(f), 3), round(p, 4), round(y[0].real, 1), round(ev, 3), round(special.gamma(5), 1))
