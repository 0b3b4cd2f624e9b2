package dev.zonewire.snownet.ice;

import dev.zonewire.stun.IntegrityKey;
import dev.zonewire.stun.MessageProtection;
import dev.zonewire.stun.ReceivedStunMessage;
import dev.zonewire.stun.StunAttribute;
import dev.zonewire.stun.StunEncoder;
import dev.zonewire.stun.StunErrorCode;
import dev.zonewire.stun.StunMessage;
import dev.zonewire.stun.StunMessageClass;
import dev.zonewire.stun.StunMethod;
import dev.zonewire.stun.TransactionId;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * A sans-IO ICE agent (RFC 8445) for one connection, full mode with trickled candidates, one
 * component over UDP. Local candidates are host addresses and relayed addresses (checks "sent
 * from" a relayed address go through the relay, which the caller arranges); server-reflexive
 * candidates are only signalled, because checks leave from their base anyway.
 *
 * <p>Every pair starts waiting and is checked at once, paced at one new check per Ta. Unanswered
 * checks are retransmitted with a doubling timeout; a pair fails after
 * {@link IceTimings#maxRetransmits()} of them in a row, and a working pair is re-checked every
 * {@link IceTimings#maxRtoNanos()} as a keepalive. The controlling agent nominates the best
 * pair that succeeded (and renominates when a better one succeeds later); the controlled agent
 * follows the pair its peer last sent USE-CANDIDATE on. Role conflicts are resolved with the
 * tie-breakers and 487 responses.
 *
 * <p>Feed it STUN messages with {@link #handleStun}, the time with {@link #handleTimeout}, and
 * drain {@link #pollTransmit()} and {@link #pollEvent()}. Not thread-safe.
 */
public final class IceAgent {
    static final int MAX_PAIRS = 100;
    static final int MAX_REMOTE_CANDIDATES = 64;
    static final int MAX_LOCAL_CANDIDATES = 16;
    static final int MAX_LOCAL_PEER_REFLEXIVE = 8;
    static final int MAX_QUEUED = 256;
    static final int ROLE_CONFLICT = StunErrorCode.ROLE_CONFLICT;

    private boolean controlling;
    private final long tieBreaker;
    private final IntegrityKey localKey;
    private final IntegrityKey remoteKey;
    /** USERNAME of checks we receive: our ufrag, then the peer's. */
    private final String incomingUsername;
    /** USERNAME of checks we send: the peer's ufrag, then ours. */
    private final String outgoingUsername;
    private final RandomGenerator random;
    private IceTimings timings;

    private final List<Candidate> localCandidates = new ArrayList<>();
    private final List<Candidate> remoteCandidates = new ArrayList<>();
    private final List<Candidate> localPeerReflexive = new ArrayList<>();
    /** Highest priority first. */
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final Map<TransactionId, SentCheck> inFlight = new HashMap<>();
    private CandidatePair selected;
    private long nominationCounter;
    private boolean hadPairs;

    private final long createdAt;
    private boolean started;
    private long nextCheckAllowedAt;
    private IceState state = IceState.NEW;

    private final ArrayDeque<IceTransmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();
    private long droppedOutputs;

    /**
     * @param controlling whether this side nominates (the client) or follows (the gateway)
     * @param local       our ufrag and password: peers' checks carry our ufrag and are keyed with our password
     * @param remote      the peer's, for the checks we send
     */
    public IceAgent(boolean controlling, IceCredentials local, IceCredentials remote, IceTimings timings,
                    RandomGenerator random, long now) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        this.controlling = controlling;
        this.random = Objects.requireNonNull(random, "random");
        this.tieBreaker = random.nextLong();
        this.timings = Objects.requireNonNull(timings, "timings");
        this.localKey = IntegrityKey.shortTerm(local.password());
        this.remoteKey = IntegrityKey.shortTerm(remote.password());
        this.incomingUsername = local.ufrag() + ":" + remote.ufrag();
        this.outgoingUsername = remote.ufrag() + ":" + local.ufrag();
        this.createdAt = now;
        this.nextCheckAllowedAt = now;
    }

    public boolean isControlling() {
        return controlling;
    }

    public IceState state() {
        return state;
    }

    /** Switches between the default and the idle timings; pending waits keep their deadlines. */
    public void setTimings(IceTimings timings) {
        this.timings = Objects.requireNonNull(timings, "timings");
    }

    public List<Candidate> localCandidates() {
        return Collections.unmodifiableList(localCandidates);
    }

    public List<Candidate> remoteCandidates() {
        return Collections.unmodifiableList(remoteCandidates);
    }

    /** Our addresses as the peer saw them in its answers, where they differ from our candidates. */
    public List<Candidate> localPeerReflexiveCandidates() {
        return Collections.unmodifiableList(localPeerReflexive);
    }

    /**
     * When the oldest unanswered check of the selected pair was sent, or {@link Long#MAX_VALUE} if
     * its last check was answered (or nothing is selected): a pair that goes quiet shows here first.
     */
    public long selectedPairUnansweredSince() {
        return selected == null || selected.unanswered == 0 ? Long.MAX_VALUE : selected.firstUnansweredAt;
    }

    /** Outputs discarded because the owner did not drain them. */
    public long droppedOutputs() {
        return droppedOutputs;
    }

    // ---- Candidates ----------------------------------------------------------------------------

    /**
     * Adds a host or relayed candidate and pairs it with the remote candidates of its family.
     * Returns false if it was known already, or is of another kind (server-reflexive candidates
     * are signalled but never checked from), or the agent holds too many.
     */
    public boolean addLocalCandidate(Candidate candidate) {
        if (candidate.kind() != Candidate.Kind.HOST && candidate.kind() != Candidate.Kind.RELAYED) {
            return false;
        }
        if (localByBase(candidate.base()) != null || localCandidates.size() >= MAX_LOCAL_CANDIDATES) {
            return false;
        }
        localCandidates.add(candidate);
        for (Candidate remote : remoteCandidates) {
            if (remote.sameFamily(candidate)) {
                addPair(candidate, remote);
            }
        }
        updateState();
        return true;
    }

    /** Withdraws a local candidate and its pairs. Returns whether it was known. */
    public boolean invalidateLocalCandidate(Candidate candidate) {
        Candidate known = localByBase(candidate.base());
        if (known == null || known.kind() != candidate.kind()) {
            return false;
        }
        localCandidates.remove(known);
        removePairs(pair -> pair.local == known);
        return true;
    }

    /**
     * Adds a candidate the peer signalled and pairs it with our candidates of its family. A
     * candidate at the address of a peer-reflexive one we learned replaces it (the peer told us
     * what it really is). Returns false if the address was known, or the agent holds too many.
     */
    public boolean addRemoteCandidate(Candidate candidate) {
        Candidate existing = remoteByAddress(candidate.address());
        if (existing != null) {
            if (existing.kind() != Candidate.Kind.PEER_REFLEXIVE || candidate.kind() == Candidate.Kind.PEER_REFLEXIVE) {
                return false;
            }
            remoteCandidates.set(remoteCandidates.indexOf(existing), candidate);
            for (CandidatePair pair : pairs) {
                if (pair.remote == existing) {
                    pair.remote = candidate;
                    pair.recomputePriority(controlling);
                }
            }
            sortPairs();
            return true;
        }
        if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return false;
        }
        remoteCandidates.add(candidate);
        for (Candidate local : localCandidates) {
            if (local.sameFamily(candidate)) {
                addPair(local, candidate);
            }
        }
        updateState();
        return true;
    }

    /** Withdraws a remote candidate (matched by address) and its pairs. Returns whether it was known. */
    public boolean invalidateRemoteCandidate(Candidate candidate) {
        Candidate known = remoteByAddress(candidate.address());
        if (known == null) {
            return false;
        }
        remoteCandidates.remove(known);
        removePairs(pair -> pair.remote == known);
        return true;
    }

    // ---- Network input -------------------------------------------------------------------------

    /**
     * Offers a STUN message that arrived from {@code from} on our address {@code destination} (a
     * host address, or our relayed address for data that came through the relay). Returns true if
     * the message belongs to this agent: a check with our ufrag and a valid MESSAGE-INTEGRITY, or
     * an authentic answer to one of our checks. A message that is ours but unusable is dropped and
     * still counts as ours.
     */
    public boolean handleStun(ReceivedStunMessage received, InetSocketAddress from, InetSocketAddress destination,
                              long now) {
        StunMessage message = received.message();
        if (message.method() != StunMethod.BINDING) {
            return false;
        }
        return switch (message.messageClass()) {
            case REQUEST -> handleRequest(received, from, destination, now);
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> handleResponse(received, from, destination);
            case INDICATION -> false;
        };
    }

    private boolean handleRequest(ReceivedStunMessage received, InetSocketAddress from, InetSocketAddress destination,
                                  long now) {
        StunMessage request = received.message();
        Optional<StunAttribute.Username> username = request.first(StunAttribute.Username.class);
        if (username.isEmpty() || !username.get().value().equals(incomingUsername)
                || !received.verifyMessageIntegrity(localKey)
                || (received.hasFingerprint() && !received.verifyFingerprint())) {
            return false;
        }
        Optional<StunAttribute.Priority> priority = request.first(StunAttribute.Priority.class);
        Candidate local = localByBase(destination);
        if (priority.isEmpty() || local == null || !Candidate.isUsableAddress(from)) {
            return true;
        }
        if (!resolveRoleConflict(request, from, local)) {
            return true;
        }
        respond(StunMessage.successResponse(StunMethod.BINDING, request.transactionId())
                .add(new StunAttribute.XorMappedAddress(from)).build(), local, from);

        CandidatePair pair = pairForIncoming(local, from, priority.get().value());
        if (pair == null) {
            return true;
        }
        if (!pair.seenRequest) {
            pair.seenRequest = true;
            emit(new IceEvent.RemoteAddressSeen(from, local.base()));
        }
        if (pair.state != CandidatePair.State.SUCCEEDED) {
            pair.triggered = true;
        }
        if (!controlling && request.has(StunAttribute.UseCandidate.class)) {
            pair.nominated = true;
            pair.nominationOrder = ++nominationCounter;
            followPeerNomination();
        }
        updateState();
        return true;
    }

    /**
     * RFC 8445 section 7.3.1.1. Returns false when the request was answered with 487 and must not
     * be processed further.
     */
    private boolean resolveRoleConflict(StunMessage request, InetSocketAddress from, Candidate local) {
        Optional<StunAttribute.IceControlling> peerControlling = request.first(StunAttribute.IceControlling.class);
        Optional<StunAttribute.IceControlled> peerControlled = request.first(StunAttribute.IceControlled.class);
        if (controlling && peerControlling.isPresent()) {
            if (Long.compareUnsigned(tieBreaker, peerControlling.get().tieBreaker()) >= 0) {
                respond(StunMessage.errorResponse(StunMethod.BINDING, request.transactionId(), ROLE_CONFLICT).build(),
                        local, from);
                return false;
            }
            switchRole();
        } else if (!controlling && peerControlled.isPresent()) {
            if (Long.compareUnsigned(tieBreaker, peerControlled.get().tieBreaker()) < 0) {
                respond(StunMessage.errorResponse(StunMethod.BINDING, request.transactionId(), ROLE_CONFLICT).build(),
                        local, from);
                return false;
            }
            switchRole();
        }
        return true;
    }

    private boolean handleResponse(ReceivedStunMessage received, InetSocketAddress from, InetSocketAddress destination) {
        StunMessage response = received.message();
        SentCheck check = inFlight.get(response.transactionId());
        if (check == null || !received.verifyMessageIntegrity(remoteKey)
                || (received.hasFingerprint() && !received.verifyFingerprint())) {
            return false;
        }
        CandidatePair pair = check.pair();
        inFlight.remove(response.transactionId());
        pair.outstanding.remove(response.transactionId());
        boolean symmetric = from.equals(pair.remote.address()) && destination.equals(pair.local.base());
        if (!symmetric) {
            return true;
        }
        if (response.messageClass() == StunMessageClass.ERROR_RESPONSE) {
            int code = response.first(StunAttribute.ErrorCode.class).map(StunAttribute.ErrorCode::code).orElse(0);
            if (code == ROLE_CONFLICT) {
                // Switch away from the role the check claimed, unless a request from the peer switched us already.
                if (check.sentControlling() == controlling) {
                    switchRole();
                }
                pair.triggered = true;
            } else {
                fail(pair);
            }
            updateState();
            return true;
        }
        pair.state = CandidatePair.State.SUCCEEDED;
        pair.unanswered = 0;
        response.first(StunAttribute.XorMappedAddress.class)
                .ifPresent(mapped -> learnLocalPeerReflexive(mapped.address(), pair));
        if (controlling) {
            nominateBestPair();
        }
        updateState();
        return true;
    }

    // ---- Time ----------------------------------------------------------------------------------

    /** Fails pairs whose checks went unanswered too long and sends the next check that is due. */
    public void handleTimeout(long now) {
        started = true;
        for (CandidatePair pair : List.copyOf(pairs)) {
            if (pair.state != CandidatePair.State.FAILED && pair.unanswered >= timings.maxRetransmits()
                    && pair.lastSentAt + timings.retransmitDelay(pair.unanswered) <= now) {
                fail(pair);
            }
        }
        while (nextCheckAllowedAt <= now) {
            CandidatePair due = nextDuePair(now);
            if (due == null) {
                break;
            }
            sendCheck(due, now);
            nextCheckAllowedAt = now + timings.pacingNanos();
            if (timings.pacingNanos() > 0) {
                break;
            }
        }
        updateState();
    }

    /** The next instant {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. */
    public long pollTimeout() {
        if (!started) {
            return createdAt;
        }
        long earliest = Long.MAX_VALUE;
        for (CandidatePair pair : pairs) {
            long checkAt = nextCheckAt(pair);
            if (checkAt != Long.MAX_VALUE) {
                earliest = Math.min(earliest, checkAt == Long.MIN_VALUE ? nextCheckAllowedAt : Math.max(checkAt, nextCheckAllowedAt));
            }
            if (pair.state != CandidatePair.State.FAILED && pair.unanswered >= timings.maxRetransmits()) {
                earliest = Math.min(earliest, pair.lastSentAt + timings.retransmitDelay(pair.unanswered));
            }
        }
        return earliest;
    }

    public IceTransmit pollTransmit() {
        return transmits.poll();
    }

    public IceEvent pollEvent() {
        return events.poll();
    }

    // ---- Checks --------------------------------------------------------------------------------

    /** Triggered checks first, then never-checked pairs by priority, then the most overdue retransmit. */
    private CandidatePair nextDuePair(long now) {
        CandidatePair best = null;
        long bestAt = Long.MAX_VALUE;
        for (CandidatePair pair : pairs) {
            long at = nextCheckAt(pair);
            if (at != Long.MAX_VALUE && at <= now && (best == null || at < bestAt)) {
                best = pair;
                bestAt = at;
            }
        }
        return best;
    }

    /** When the pair's next check is due; {@link Long#MIN_VALUE} for at once. */
    private long nextCheckAt(CandidatePair pair) {
        if (pair.triggered) {
            return Long.MIN_VALUE;
        }
        if (pair.state == CandidatePair.State.FAILED || pair.unanswered >= timings.maxRetransmits()) {
            return Long.MAX_VALUE;
        }
        if (!pair.everSent) {
            return Long.MIN_VALUE + 1;
        }
        if (pair.unanswered == 0) {
            return pair.lastSentAt + timings.maxRtoNanos();
        }
        return pair.lastSentAt + timings.retransmitDelay(pair.unanswered);
    }

    private void sendCheck(CandidatePair pair, long now) {
        if (pair.state == CandidatePair.State.FAILED) {
            pair.state = CandidatePair.State.WAITING;
            pair.unanswered = 0;
        }
        pair.triggered = false;
        pair.everSent = true;
        pair.lastSentAt = now;
        if (pair.unanswered++ == 0) {
            pair.firstUnansweredAt = now;
        }

        TransactionId id = TransactionId.random(random);
        StunMessage.Builder check = StunMessage.request(StunMethod.BINDING, id)
                .add(new StunAttribute.Username(outgoingUsername))
                .add(controlling ? new StunAttribute.IceControlling(tieBreaker) : new StunAttribute.IceControlled(tieBreaker))
                .add(new StunAttribute.Priority(peerReflexivePriority(pair.local)));
        if (controlling && pair.nominated) {
            check.add(new StunAttribute.UseCandidate());
        }
        byte[] bytes = StunEncoder.encode(check.build(), MessageProtection.integrity(remoteKey).withFingerprint());
        pair.outstanding.add(id);
        inFlight.put(id, new SentCheck(pair, controlling));
        while (pair.outstanding.size() > timings.maxRetransmits()) {
            inFlight.remove(pair.outstanding.poll());
        }
        transmit(new IceTransmit(pair.local.base(), pair.remote.address(), bytes));
    }

    /** The PRIORITY a check carries: our candidate's, recomputed with the peer-reflexive type preference. */
    private static long peerReflexivePriority(Candidate local) {
        int localPreference = Candidate.localPreference(local.priority());
        return ((long) Candidate.Kind.PEER_REFLEXIVE.typePreference() << 24) | ((long) localPreference << 8) | 255;
    }

    private void respond(StunMessage response, Candidate local, InetSocketAddress to) {
        byte[] bytes = StunEncoder.encode(response, MessageProtection.integrity(localKey).withFingerprint());
        transmit(new IceTransmit(local.base(), to, bytes));
    }

    // ---- Nomination ----------------------------------------------------------------------------

    /** Nominates the best pair that succeeded and still answers (at most one check outstanding). */
    private void nominateBestPair() {
        CandidatePair best = null;
        for (CandidatePair pair : pairs) {
            if (pair.state == CandidatePair.State.SUCCEEDED && pair.unanswered <= 1) {
                best = pair;
                break;
            }
        }
        if (best == null || best == selected) {
            return;
        }
        if (selected != null) {
            selected.nominated = false;
        }
        best.nominated = true;
        best.triggered = true;
        select(best);
    }

    /** The controlled side sends on the pair the peer most recently nominated. */
    private void followPeerNomination() {
        CandidatePair latest = null;
        for (CandidatePair pair : pairs) {
            if (pair.nominated && pair.isPossible() && (latest == null || pair.nominationOrder > latest.nominationOrder)) {
                latest = pair;
            }
        }
        if (latest != null && latest != selected) {
            select(latest);
        }
    }

    private void select(CandidatePair pair) {
        selected = pair;
        emit(new IceEvent.Nominated(pair.local.base(), pair.remote.address()));
    }

    private void loseSelection() {
        CandidatePair lost = selected;
        selected = null;
        emit(new IceEvent.NominationLost(lost.local.base(), lost.remote.address()));
        if (controlling) {
            nominateBestPair();
        } else {
            followPeerNomination();
        }
    }

    private void switchRole() {
        controlling = !controlling;
        for (CandidatePair pair : pairs) {
            pair.recomputePriority(controlling);
            if (pair != selected) {
                pair.nominated = false;
            }
        }
        sortPairs();
    }

    // ---- Pairs ---------------------------------------------------------------------------------

    private void addPair(Candidate local, Candidate remote) {
        for (CandidatePair pair : pairs) {
            if (pair.local.base().equals(local.base()) && pair.remote.address().equals(remote.address())) {
                return;
            }
        }
        CandidatePair pair = new CandidatePair(local, remote, controlling);
        if (pairs.size() >= MAX_PAIRS) {
            CandidatePair worst = pairs.getLast();
            if (worst == selected || Long.compareUnsigned(worst.priority, pair.priority) >= 0) {
                return;
            }
            removePairs(candidate -> candidate == worst);
        }
        pairs.add(pair);
        hadPairs = true;
        sortPairs();
    }

    /** The pair a peer's check arrived on, learning the sender as a peer-reflexive candidate if it is new. */
    private CandidatePair pairForIncoming(Candidate local, InetSocketAddress from, long priority) {
        Candidate remote = remoteByAddress(from);
        if (remote == null) {
            if (remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
                return null;
            }
            remote = Candidate.peerReflexive(from, from, priority);
            remoteCandidates.add(remote);
        }
        CandidatePair pair = pairOf(local, remote);
        if (pair == null) {
            addPair(local, remote);
            pair = pairOf(local, remote);
        }
        return pair;
    }

    private CandidatePair pairOf(Candidate local, Candidate remote) {
        for (CandidatePair pair : pairs) {
            if (pair.local == local && pair.remote == remote) {
                return pair;
            }
        }
        return null;
    }

    private void fail(CandidatePair pair) {
        pair.state = CandidatePair.State.FAILED;
        pair.triggered = false;
        forgetOutstanding(pair);
        if (pair == selected) {
            pair.nominated = false;
            loseSelection();
        }
        pair.nominated = false;
    }

    private void removePairs(Predicate<CandidatePair> which) {
        boolean lostSelected = false;
        for (CandidatePair pair : List.copyOf(pairs)) {
            if (which.test(pair)) {
                pairs.remove(pair);
                forgetOutstanding(pair);
                lostSelected |= pair == selected;
            }
        }
        if (lostSelected) {
            loseSelection();
        }
        updateState();
    }

    private void forgetOutstanding(CandidatePair pair) {
        for (TransactionId id : pair.outstanding) {
            inFlight.remove(id);
        }
        pair.outstanding.clear();
    }

    private void sortPairs() {
        pairs.sort((a, b) -> Long.compareUnsigned(b.priority, a.priority));
    }

    private void learnLocalPeerReflexive(InetSocketAddress mapped, CandidatePair pair) {
        if (!Candidate.isUsableAddress(mapped)) {
            return;
        }
        for (Candidate local : localCandidates) {
            if (local.address().equals(mapped)) {
                return;
            }
        }
        for (Candidate known : localPeerReflexive) {
            if (known.address().equals(mapped)) {
                return;
            }
        }
        if (localPeerReflexive.size() >= MAX_LOCAL_PEER_REFLEXIVE) {
            localPeerReflexive.removeFirst();
        }
        localPeerReflexive.add(Candidate.peerReflexive(mapped, pair.local.base(), peerReflexivePriority(pair.local)));
    }

    private Candidate localByBase(InetSocketAddress base) {
        for (Candidate candidate : localCandidates) {
            if (candidate.base().equals(base)) {
                return candidate;
            }
        }
        return null;
    }

    private Candidate remoteByAddress(InetSocketAddress address) {
        for (Candidate candidate : remoteCandidates) {
            if (candidate.address().equals(address)) {
                return candidate;
            }
        }
        return null;
    }

    /** A check awaiting its answer, and the role it claimed. */
    private record SentCheck(CandidatePair pair, boolean sentControlling) {
    }

    // ---- State and output ----------------------------------------------------------------------

    private void updateState() {
        if (!started) {
            return;
        }
        IceState next;
        if (selected != null) {
            next = IceState.CONNECTED;
        } else if (!hadPairs || pairs.stream().anyMatch(CandidatePair::isPossible)) {
            next = IceState.CHECKING;
        } else {
            next = IceState.DISCONNECTED;
        }
        if (next != state) {
            state = next;
            emit(new IceEvent.StateChanged(next));
        }
    }

    private void transmit(IceTransmit transmit) {
        if (transmits.size() >= MAX_QUEUED) {
            droppedOutputs++;
            return;
        }
        transmits.add(transmit);
    }

    private void emit(IceEvent event) {
        if (events.size() >= MAX_QUEUED) {
            droppedOutputs++;
            return;
        }
        events.add(event);
    }
}
