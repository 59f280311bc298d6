package fi.palvelurinki.broker.routing;

import com.google.common.collect.BoundType;
import com.google.common.collect.TreeMultiset;
import java.util.Iterator;

/**
 * A ring's waiting requests in order of service ({@link RequestState#ORDER}), with each one's place
 * found in O(log n): the tree counts its subtrees, so a queue of 100,000 answers "where is this
 * request" without walking it (a walk per request made a restart with n waiting O(n²)). Guava's
 * {@code TreeMultiset} is used here and nowhere else; each request is in it at most once.
 */
final class RingQueue implements Iterable<RequestState> {
    private final TreeMultiset<RequestState> tree = TreeMultiset.create(RequestState.ORDER);

    /** Adds {@code r} unless it is queued already. */
    boolean add(RequestState r) {
        return tree.setCount(r, 0, 1);
    }

    boolean remove(RequestState r) {
        return tree.remove(r);
    }

    int size() {
        return tree.size();
    }

    boolean isEmpty() {
        return tree.isEmpty();
    }

    /** 1 = next to be served; 0 when {@code r} is not in this queue. */
    int positionOf(RequestState r) {
        if (tree.count(r) == 0) {
            return 0;
        }
        return tree.headMultiset(r, BoundType.OPEN).size() + 1;
    }

    /** Requests ahead of {@code r} in order of service (whether or not {@code r} is queued). */
    int countBefore(RequestState r) {
        return tree.headMultiset(r, BoundType.OPEN).size();
    }

    /** From {@code r} (or where it would stand) to the end, in order of service. */
    Iterator<RequestState> from(RequestState r) {
        return tree.tailMultiset(r, BoundType.CLOSED).elementSet().iterator();
    }

    /** In order of service. */
    @Override
    public Iterator<RequestState> iterator() {
        return tree.elementSet().iterator();
    }
}
