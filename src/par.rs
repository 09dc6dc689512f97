//! Moving large tables on every thread.

use rayon::prelude::*;

/// Below this many items a table is joined on the calling thread: handing
/// work to the pool costs more than moving a few thousand items.
const SERIAL_BELOW: usize = 4096;

/// Joins `parts` in order into one vector, each item passed to `adjust`
/// with its part's key on the way (to re-base indices, say).
///
/// Large tables are moved on every thread, each part into its own stretch:
/// the vector is first filled with `blank()`s, on every thread too, and
/// each part then moved over its stretch. A blank must own no memory, so
/// that overwriting one costs only the move. Joined on one thread, an
/// estate's device and attachment tables (and the page faults of their new
/// memory) left the other core idle for several milliseconds each.
pub(crate) fn concat<K, T>(
    parts: Vec<(K, Vec<T>)>,
    blank: impl Fn() -> T + Sync,
    adjust: impl Fn(&K, &mut T) + Sync,
) -> Vec<T>
where
    K: Send,
    T: Send,
{
    let total: usize = parts.iter().map(|(_, p)| p.len()).sum();
    let mut all: Vec<T> = Vec::with_capacity(total);
    if total < SERIAL_BELOW {
        for (key, part) in parts {
            all.extend(part.into_iter().map(|mut item| {
                adjust(&key, &mut item);
                item
            }));
        }
        return all;
    }
    all.par_extend((0..total).into_par_iter().map(|_| blank()));
    let mut stretches = Vec::with_capacity(parts.len());
    let mut rest = all.as_mut_slice();
    for (key, part) in parts {
        let (here, after) = rest.split_at_mut(part.len().min(rest.len()));
        stretches.push((here, key, part));
        rest = after;
    }
    stretches.into_par_iter().for_each(|(here, key, part)| {
        for (slot, mut item) in here.iter_mut().zip(part) {
            adjust(&key, &mut item);
            *slot = item;
        }
    });
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(sizes: &[usize]) -> Vec<(usize, Vec<(usize, usize)>)> {
        sizes
            .iter()
            .enumerate()
            .map(|(k, &n)| (k * 1000, (0..n).map(|i| (k, i)).collect()))
            .collect()
    }

    #[test]
    fn parts_join_in_order_adjusted_whatever_their_sizes() {
        // Small (joined on this thread) and large (on the pool), with
        // empty parts among them.
        for sizes in [vec![3, 0, 5], vec![0, 3000, 0, 2500, 1, 4000]] {
            let joined = concat(parts(&sizes), || (0, 0), |base, item| item.1 += base);
            let want: Vec<(usize, usize)> = parts(&sizes)
                .into_iter()
                .flat_map(|(base, p)| p.into_iter().map(move |(k, i)| (k, i + base)))
                .collect();
            assert_eq!(joined.len(), sizes.iter().sum::<usize>());
            assert_eq!(joined, want, "{sizes:?}");
        }
    }
}
