package fi.palvelurinki.broker.journal;

import fi.palvelurinki.broker.AbandonReason;
import fi.palvelurinki.broker.BrokerException;
import fi.palvelurinki.broker.CallEndReason;
import fi.palvelurinki.broker.CallQuality;
import fi.palvelurinki.broker.Party;
import fi.palvelurinki.broker.CallKind;
import fi.palvelurinki.broker.booking.BookableService;
import fi.palvelurinki.broker.booking.NoShowSide;
import fi.palvelurinki.broker.expert.ExpertProfile;
import fi.palvelurinki.broker.expert.Presence;
import fi.palvelurinki.broker.journal.DomainEvent.AdvisorDefined;
import fi.palvelurinki.broker.journal.DomainEvent.AuthorityDefined;
import fi.palvelurinki.broker.journal.DomainEvent.CallEnded;
import fi.palvelurinki.broker.journal.DomainEvent.CallStarted;
import fi.palvelurinki.broker.journal.DomainEvent.ExpertDefined;
import fi.palvelurinki.broker.journal.DomainEvent.LanguageEscalated;
import fi.palvelurinki.broker.journal.DomainEvent.OfferAccepted;
import fi.palvelurinki.broker.journal.DomainEvent.OfferDeclined;
import fi.palvelurinki.broker.journal.DomainEvent.OfferMade;
import fi.palvelurinki.broker.journal.DomainEvent.OfferTimedOut;
import fi.palvelurinki.broker.journal.DomainEvent.OfferWithdrawn;
import fi.palvelurinki.broker.journal.DomainEvent.PointDefined;
import fi.palvelurinki.broker.journal.DomainEvent.PresenceChanged;
import fi.palvelurinki.broker.journal.DomainEvent.RequestAbandoned;
import fi.palvelurinki.broker.journal.DomainEvent.RequestOverflowed;
import fi.palvelurinki.broker.journal.DomainEvent.RequestQueued;
import fi.palvelurinki.broker.journal.DomainEvent.RingConfigured;
import fi.palvelurinki.broker.journal.DomainEvent.WrapUpEnded;
import fi.palvelurinki.broker.point.Advisor;
import fi.palvelurinki.broker.point.ServicePoint;
import fi.palvelurinki.broker.ring.Authority;
import fi.palvelurinki.broker.ring.Language;
import fi.palvelurinki.broker.ring.OpeningHours;
import fi.palvelurinki.broker.ring.RingConfig;

/**
 * Binary form of {@link DomainEvent}s: a one-byte tag, then the fields in declaration order. Enums are
 * written by name (not ordinal) so that adding a constant never changes the meaning of old records.
 */
final class EventCodec {
    private EventCodec() {}

    static void encode(DomainEvent event, ByteWriter w) {
        w.putByte(event.type().tag());
        w.putInstant(event.at());
        switch (event.type()) {
            case AUTHORITY_DEFINED -> {
                Authority a = ((AuthorityDefined) event).authority();
                w.putString(a.id());
                w.putString(a.name());
            }
            case RING_CONFIGURED -> {
                RingConfigured e = (RingConfigured) event;
                RingConfig r = e.ring();
                w.putString(r.id());
                w.putString(r.authorityId());
                w.putString(r.name());
                w.putStrings(r.topics());
                w.putEnums(r.languages());
                w.putString(r.openingHours().spec());
                w.putDuration(r.offerTimeout());
                w.putDuration(r.wrapUp());
                w.putInt(r.maxMissedOffers());
                w.putDuration(r.declineCooldown());
                w.putDuration(r.languageEscalationAfter());
                w.putEnums(r.fallbackLanguages());
                w.putString(r.overflowRingId());
                w.putDuration(r.overflowAfter());
                w.putDuration(r.expectedHandleTime());
                w.putDuration(r.serviceLevelThreshold());
                w.putInt(r.bookingCapacity());
                w.putString(e.actor());
                // Appended after the actor: records written before interpreter rings end here.
                w.putStrings(r.interpreting());
            }
            case POINT_DEFINED -> {
                ServicePoint p = ((PointDefined) event).point();
                w.putString(p.id());
                w.putString(p.name());
                w.putString(p.municipality());
                w.putInt(p.rooms());
            }
            case ADVISOR_DEFINED -> {
                Advisor a = ((AdvisorDefined) event).advisor();
                w.putString(a.id());
                w.putString(a.name());
                w.putString(a.pointId());
            }
            case EXPERT_DEFINED -> {
                ExpertDefined e = (ExpertDefined) event;
                ExpertProfile x = e.expert();
                w.putString(x.id());
                w.putString(x.name());
                w.putStrings(x.rings());
                w.putEnums(x.languages());
                w.putStrings(x.topics());
                w.putString(e.actor());
                w.putStrings(x.interprets());
            }
            case REQUEST_QUEUED -> {
                RequestQueued e = (RequestQueued) event;
                w.putLong(e.requestId());
                w.putEnum(e.kind());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putString(e.advisorId());
                w.putString(e.topic());
                w.putEnum(e.language());
                w.putBool(e.languageFallbackConsent());
                w.putString(e.triageNote());
                w.putInt(e.priority());
            }
            case OFFER_MADE -> {
                OfferMade e = (OfferMade) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putInstant(e.expiresAt());
                w.putString(e.reason());
            }
            case OFFER_ACCEPTED -> {
                OfferAccepted e = (OfferAccepted) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.pointId());
            }
            case OFFER_DECLINED -> {
                OfferDeclined e = (OfferDeclined) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putInstant(e.cooldownUntil());
            }
            case OFFER_TIMED_OUT -> {
                OfferTimedOut e = (OfferTimedOut) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putInt(e.consecutiveMisses());
                w.putInstant(e.cooldownUntil());
            }
            case OFFER_WITHDRAWN -> {
                OfferWithdrawn e = (OfferWithdrawn) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.reason());
            }
            case CALL_STARTED -> {
                CallStarted e = (CallStarted) event;
                w.putLong(e.callId());
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.advisorId());
                w.putString(e.ringId());
                w.putString(e.pointId());
            }
            case CALL_ENDED -> {
                CallEnded e = (CallEnded) event;
                w.putLong(e.callId());
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putEnum(e.reason());
                w.putInstant(e.wrapUpUntil());
            }
            case WRAP_UP_ENDED -> {
                WrapUpEnded e = (WrapUpEnded) event;
                w.putString(e.expertId());
                w.putLong(e.callId());
                w.putString(e.ringId());
                w.putBool(e.early());
            }
            case REQUEST_ABANDONED -> {
                RequestAbandoned e = (RequestAbandoned) event;
                w.putLong(e.requestId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putEnum(e.reason());
            }
            case LANGUAGE_ESCALATED -> {
                LanguageEscalated e = (LanguageEscalated) event;
                w.putLong(e.requestId());
                w.putString(e.ringId());
                w.putEnums(e.languages());
            }
            case REQUEST_OVERFLOWED -> {
                RequestOverflowed e = (RequestOverflowed) event;
                w.putLong(e.requestId());
                w.putString(e.fromRingId());
                w.putString(e.toRingId());
            }
            case PRESENCE_CHANGED -> {
                PresenceChanged e = (PresenceChanged) event;
                w.putString(e.expertId());
                w.putEnum(e.from());
                w.putEnum(e.to());
                w.putString(e.reason());
            }
            case SERVICE_DEFINED -> {
                DomainEvent.ServiceDefined e = (DomainEvent.ServiceDefined) event;
                BookableService x = e.service();
                w.putString(x.id());
                w.putString(x.ringId());
                w.putString(x.name());
                w.putString(x.topic());
                w.putDuration(x.slotLength());
                w.putDuration(x.bufferBefore());
                w.putDuration(x.bufferAfter());
                w.putDuration(x.horizon());
                w.putDuration(x.notice());
                w.putDuration(x.lateGrace());
                w.putString(e.actor());
            }
            case BOOKING_CONFIRMED -> {
                DomainEvent.BookingConfirmed e = (DomainEvent.BookingConfirmed) event;
                w.putLong(e.bookingId());
                w.putString(e.ringId());
                w.putString(e.serviceId());
                w.putString(e.pointId());
                w.putInt(e.room());
                w.putString(e.advisorId());
                w.putString(e.expertId());
                w.putEnum(e.language());
                w.putString(e.note());
                w.putInstant(e.slotStart());
                w.putInstant(e.slotEnd());
            }
            case BOOKING_RESCHEDULED -> {
                DomainEvent.BookingRescheduled e = (DomainEvent.BookingRescheduled) event;
                w.putLong(e.bookingId());
                w.putInstant(e.fromStart());
                w.putInstant(e.fromEnd());
                w.putInstant(e.toStart());
                w.putInstant(e.toEnd());
                w.putInt(e.room());
                w.putString(e.actor());
                w.putString(e.reason());
            }
            case BOOKING_CANCELLED -> {
                DomainEvent.BookingCancelled e = (DomainEvent.BookingCancelled) event;
                w.putLong(e.bookingId());
                w.putString(e.actor());
                w.putString(e.reason());
                w.putLong(e.noticeSeconds());
            }
            case BOOKING_START_REQUESTED -> {
                DomainEvent.BookingStartRequested e = (DomainEvent.BookingStartRequested) event;
                w.putLong(e.bookingId());
                w.putLong(e.requestId());
                w.putLong(e.advisorLateSeconds());
            }
            case BOOKING_STARTED -> {
                DomainEvent.BookingStarted e = (DomainEvent.BookingStarted) event;
                w.putLong(e.bookingId());
                w.putLong(e.callId());
                w.putString(e.expertId());
                w.putLong(e.expertLateSeconds());
            }
            case BOOKING_COMPLETED -> {
                DomainEvent.BookingCompleted e = (DomainEvent.BookingCompleted) event;
                w.putLong(e.bookingId());
                w.putLong(e.callId());
                w.putLong(e.usedSeconds());
                w.putLong(e.endedEarlySeconds());
            }
            case BOOKING_NO_SHOW -> {
                DomainEvent.BookingNoShow e = (DomainEvent.BookingNoShow) event;
                w.putLong(e.bookingId());
                w.putEnum(e.side());
            }
            case BOOKING_FROM_HOME -> w.putLong(((DomainEvent.BookingFromHome) event).bookingId());
            case CUSTOMER_JOINED -> {
                DomainEvent.CustomerJoined e = (DomainEvent.CustomerJoined) event;
                w.putLong(e.bookingId());
                w.putLong(e.lateSeconds());
            }
            case DEVICE_CHECK_FAILED -> {
                DomainEvent.DeviceCheckFailed e = (DomainEvent.DeviceCheckFailed) event;
                w.putLong(e.bookingId());
                w.putString(e.problem());
            }
            case INTERPRETER_NEEDED -> {
                DomainEvent.InterpreterNeeded e = (DomainEvent.InterpreterNeeded) event;
                w.putLong(e.needId());
                w.putLong(e.requestId());
                w.putLong(e.callId());
                w.putString(e.language());
                w.putEnum(e.serviceLanguage());
                w.putString(e.pointId());
                w.putString(e.requestedBy());
                w.putInt(e.priority());
            }
            case INTERPRETER_OFFERED -> {
                DomainEvent.InterpreterOffered e = (DomainEvent.InterpreterOffered) event;
                w.putLong(e.needId());
                w.putString(e.interpreterId());
                w.putString(e.ringId());
                w.putString(e.language());
                w.putInstant(e.expiresAt());
            }
            case INTERPRETER_ANSWERED -> {
                DomainEvent.InterpreterAnswered e = (DomainEvent.InterpreterAnswered) event;
                w.putLong(e.needId());
                w.putString(e.interpreterId());
                w.putString(e.ringId());
                w.putEnum(e.outcome());
                w.putInstant(e.cooldownUntil());
            }
            case OFFER_HELD -> {
                DomainEvent.OfferHeld e = (DomainEvent.OfferHeld) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
            }
            case INTERPRETER_NEED_ENDED -> {
                DomainEvent.InterpreterNeedEnded e = (DomainEvent.InterpreterNeedEnded) event;
                w.putLong(e.needId());
                w.putString(e.reason());
            }
            case PARTY_JOINED -> {
                DomainEvent.PartyJoined e = (DomainEvent.PartyJoined) event;
                w.putLong(e.callId());
                w.putString(e.partyId());
                w.putString(e.role());
                w.putString(e.ringId());
                w.putString(e.language());
                w.putLong(e.needId());
                w.putLong(e.requestId());
            }
            case PARTY_LEFT -> {
                DomainEvent.PartyLeft e = (DomainEvent.PartyLeft) event;
                w.putLong(e.callId());
                w.putString(e.partyId());
                w.putString(e.ringId());
                w.putString(e.reason());
                w.putInstant(e.wrapUpUntil());
            }
            case INTERPRETER_BOOKED -> {
                DomainEvent.InterpreterBooked e = (DomainEvent.InterpreterBooked) event;
                w.putLong(e.bookingId());
                w.putString(e.language());
            }
            case JOIN_REQUESTED -> {
                DomainEvent.JoinRequested e = (DomainEvent.JoinRequested) event;
                w.putLong(e.requestId());
                w.putLong(e.callId());
                w.putString(e.requestedBy());
            }
            case CALL_QUALITY_REPORTED -> {
                DomainEvent.CallQualityReported e = (DomainEvent.CallQualityReported) event;
                w.putLong(e.callId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putEnum(e.party());
                w.putInt(e.quality().rttMs());
                w.putInt(e.quality().lossPermille());
                w.putInt(e.quality().bitrateKbps());
                w.putInt(e.quality().framesDecoded());
                w.putInt(e.quality().intervalMs());
            }
            case CALL_OUTCOME_RECORDED -> {
                DomainEvent.CallOutcomeRecorded e = (DomainEvent.CallOutcomeRecorded) event;
                w.putLong(e.callId());
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putString(e.topic());
                w.putString(e.outcome());
            }
            case CALLBACK_REQUESTED -> {
                DomainEvent.CallbackRequested e = (DomainEvent.CallbackRequested) event;
                w.putLong(e.requestId());
                w.putString(e.advisorId());
                w.putString(e.pointId());
                w.putBool(e.ringAllAdvisors());
            }
            case CALLBACK_POINT_RUNG -> {
                DomainEvent.CallbackPointRung e = (DomainEvent.CallbackPointRung) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putString(e.pointId());
                w.putInt(e.attempt());
                w.putInstant(e.ringUntil());
            }
            case CALLBACK_ANSWERED -> {
                DomainEvent.CallbackAnswered e = (DomainEvent.CallbackAnswered) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.advisorId());
                w.putInt(e.attempt());
                w.putLong(e.ringMillis());
            }
            case CALLBACK_RING_UNANSWERED -> {
                DomainEvent.CallbackRingUnanswered e = (DomainEvent.CallbackRingUnanswered) event;
                w.putLong(e.requestId());
                w.putString(e.expertId());
                w.putString(e.ringId());
                w.putInt(e.attempt());
                w.putLong(e.ringMillis());
            }
            case CALLBACK_RETRY_SCHEDULED -> {
                DomainEvent.CallbackRetryScheduled e = (DomainEvent.CallbackRetryScheduled) event;
                w.putLong(e.requestId());
                w.putInt(e.nextAttempt());
                w.putInstant(e.retryAt());
            }
            case CALLBACK_FAILED -> {
                DomainEvent.CallbackFailed e = (DomainEvent.CallbackFailed) event;
                w.putLong(e.requestId());
                w.putInt(e.attempts());
            }
            case SIGNED_IN -> {
                DomainEvent.SignedIn e = (DomainEvent.SignedIn) event;
                w.putString(e.provider());
                w.putString(e.userId());
                w.putString(e.role());
                w.putString(e.pointId());
                w.putStrings(e.rings());
                w.putString(e.reason());
            }
            case SIGNED_OUT -> {
                DomainEvent.SignedOut e = (DomainEvent.SignedOut) event;
                w.putString(e.userId());
                w.putString(e.provider());
                w.putString(e.sessionId());
                w.putInstant(e.until());
            }
        }
    }

    static DomainEvent decode(ByteReader r) {
        DomainEvent.Type type = DomainEvent.Type.ofTag(r.getByte());
        var at = r.getInstant();
        try {
            DomainEvent e = switch (type) {
                case AUTHORITY_DEFINED -> new AuthorityDefined(at, new Authority(r.getString(), r.getString()));
                case RING_CONFIGURED -> {
                    RingConfig.Builder b = RingConfig.builder(r.getString(), r.getString()).name(r.getString())
                            .topics(r.getStringSet()).languages(r.getEnumSet(Language.class))
                            .openingHours(OpeningHours.parse(r.getString())).offerTimeout(r.getDuration())
                            .wrapUp(r.getDuration()).maxMissedOffers(r.getInt()).declineCooldown(r.getDuration());
                    b.languageEscalation(r.getDuration(), r.getEnumSet(Language.class));
                    b.overflow(r.getString(), r.getDuration());
                    b.expectedHandleTime(r.getDuration()).serviceLevelThreshold(r.getDuration()).bookingCapacity(r.getInt());
                    String actor = r.getString();
                    b.interpreting(r.atEnd() ? java.util.Set.of() : r.getStringSet());
                    yield new RingConfigured(at, b.build(), actor);
                }
                case POINT_DEFINED -> new PointDefined(at, new ServicePoint(r.getString(), r.getString(), r.getString(), r.getInt()));
                case ADVISOR_DEFINED -> new AdvisorDefined(at, new Advisor(r.getString(), r.getString(), r.getString()));
                case EXPERT_DEFINED -> {
                    String id = r.getString();
                    String name = r.getString();
                    var rings = r.getStringSet();
                    var languages = r.getEnumSet(Language.class);
                    var topics = r.getStringSet();
                    String actor = r.getString();
                    var interprets = r.atEnd() ? java.util.Set.<String>of() : r.getStringSet();
                    yield new ExpertDefined(at, new ExpertProfile(id, name, rings, languages, topics, interprets), actor);
                }
                case REQUEST_QUEUED -> new RequestQueued(at, r.getLong(), r.getEnum(CallKind.class), r.getString(),
                        r.getString(), r.getString(), r.getString(), r.getEnum(Language.class), r.getBool(), r.getString(),
                        r.getInt());
                case OFFER_MADE -> new OfferMade(at, r.getLong(), r.getString(), r.getString(), r.getString(),
                        r.getInstant(), r.getString());
                case OFFER_ACCEPTED -> new OfferAccepted(at, r.getLong(), r.getString(), r.getString(), r.getString());
                case OFFER_DECLINED -> new OfferDeclined(at, r.getLong(), r.getString(), r.getString(), r.getInstant());
                case OFFER_TIMED_OUT -> new OfferTimedOut(at, r.getLong(), r.getString(), r.getString(), r.getInt(),
                        r.getInstant());
                case OFFER_WITHDRAWN -> new OfferWithdrawn(at, r.getLong(), r.getString(), r.getString(), r.getString());
                case CALL_STARTED -> new CallStarted(at, r.getLong(), r.getLong(), r.getString(), r.getString(),
                        r.getString(), r.getString());
                case CALL_ENDED -> new CallEnded(at, r.getLong(), r.getLong(), r.getString(), r.getString(), r.getString(),
                        r.getEnum(CallEndReason.class), r.getInstant());
                case WRAP_UP_ENDED -> new WrapUpEnded(at, r.getString(), r.getLong(), r.getString(), r.getBool());
                case REQUEST_ABANDONED -> new RequestAbandoned(at, r.getLong(), r.getString(), r.getString(),
                        r.getEnum(AbandonReason.class));
                case LANGUAGE_ESCALATED -> new LanguageEscalated(at, r.getLong(), r.getString(), r.getEnumSet(Language.class));
                case REQUEST_OVERFLOWED -> new RequestOverflowed(at, r.getLong(), r.getString(), r.getString());
                case PRESENCE_CHANGED -> new PresenceChanged(at, r.getString(), r.getEnum(Presence.class),
                        r.getEnum(Presence.class), r.getString());
                case SERVICE_DEFINED -> new DomainEvent.ServiceDefined(at, new BookableService(r.getString(), r.getString(),
                        r.getString(), r.getString(), r.getDuration(), r.getDuration(), r.getDuration(), r.getDuration(),
                        r.getDuration(), r.getDuration()), r.getString());
                case BOOKING_CONFIRMED -> new DomainEvent.BookingConfirmed(at, r.getLong(), r.getString(), r.getString(),
                        r.getString(), r.getInt(), r.getString(), r.getString(), r.getEnum(Language.class), r.getString(),
                        r.getInstant(), r.getInstant());
                case BOOKING_RESCHEDULED -> new DomainEvent.BookingRescheduled(at, r.getLong(), r.getInstant(),
                        r.getInstant(), r.getInstant(), r.getInstant(), r.getInt(), r.getString(), r.getString());
                case BOOKING_CANCELLED -> new DomainEvent.BookingCancelled(at, r.getLong(), r.getString(), r.getString(),
                        r.getLong());
                case BOOKING_START_REQUESTED -> new DomainEvent.BookingStartRequested(at, r.getLong(), r.getLong(),
                        r.getLong());
                case BOOKING_STARTED -> new DomainEvent.BookingStarted(at, r.getLong(), r.getLong(), r.getString(),
                        r.getLong());
                case BOOKING_COMPLETED -> new DomainEvent.BookingCompleted(at, r.getLong(), r.getLong(), r.getLong(),
                        r.getLong());
                case BOOKING_NO_SHOW -> new DomainEvent.BookingNoShow(at, r.getLong(), r.getEnum(NoShowSide.class));
                case BOOKING_FROM_HOME -> new DomainEvent.BookingFromHome(at, r.getLong());
                case CUSTOMER_JOINED -> new DomainEvent.CustomerJoined(at, r.getLong(), r.getLong());
                case DEVICE_CHECK_FAILED -> new DomainEvent.DeviceCheckFailed(at, r.getLong(), r.getString());
                case INTERPRETER_NEEDED -> new DomainEvent.InterpreterNeeded(at, r.getLong(), r.getLong(), r.getLong(),
                        r.getString(), r.getEnum(Language.class), r.getString(), r.getString(), r.getInt());
                case INTERPRETER_OFFERED -> new DomainEvent.InterpreterOffered(at, r.getLong(), r.getString(), r.getString(),
                        r.getString(), r.getInstant());
                case INTERPRETER_ANSWERED -> new DomainEvent.InterpreterAnswered(at, r.getLong(), r.getString(),
                        r.getString(), r.getEnum(DomainEvent.InterpreterOutcome.class), r.getInstant());
                case OFFER_HELD -> new DomainEvent.OfferHeld(at, r.getLong(), r.getString(), r.getString());
                case INTERPRETER_NEED_ENDED -> new DomainEvent.InterpreterNeedEnded(at, r.getLong(), r.getString());
                case PARTY_JOINED -> new DomainEvent.PartyJoined(at, r.getLong(), r.getString(), r.getString(),
                        r.getString(), r.getString(), r.getLong(), r.getLong());
                case PARTY_LEFT -> new DomainEvent.PartyLeft(at, r.getLong(), r.getString(), r.getString(), r.getString(),
                        r.getInstant());
                case INTERPRETER_BOOKED -> new DomainEvent.InterpreterBooked(at, r.getLong(), r.getString());
                case JOIN_REQUESTED -> new DomainEvent.JoinRequested(at, r.getLong(), r.getLong(), r.getString());
                case CALL_QUALITY_REPORTED -> new DomainEvent.CallQualityReported(at, r.getLong(), r.getString(),
                        r.getString(), r.getEnum(Party.class), new CallQuality(r.getInt(), r.getInt(), r.getInt(),
                        r.getInt(), r.getInt()));
                case CALL_OUTCOME_RECORDED -> new DomainEvent.CallOutcomeRecorded(at, r.getLong(), r.getLong(),
                        r.getString(), r.getString(), r.getString(), r.getString(), r.getString());
                case CALLBACK_REQUESTED -> new DomainEvent.CallbackRequested(at, r.getLong(), r.getString(), r.getString(),
                        r.getBool());
                case CALLBACK_POINT_RUNG -> new DomainEvent.CallbackPointRung(at, r.getLong(), r.getString(), r.getString(),
                        r.getString(), r.getInt(), r.getInstant());
                case CALLBACK_ANSWERED -> new DomainEvent.CallbackAnswered(at, r.getLong(), r.getString(), r.getString(),
                        r.getInt(), r.getLong());
                case CALLBACK_RING_UNANSWERED -> new DomainEvent.CallbackRingUnanswered(at, r.getLong(), r.getString(),
                        r.getString(), r.getInt(), r.getLong());
                case CALLBACK_RETRY_SCHEDULED -> new DomainEvent.CallbackRetryScheduled(at, r.getLong(), r.getInt(),
                        r.getInstant());
                case CALLBACK_FAILED -> new DomainEvent.CallbackFailed(at, r.getLong(), r.getInt());
                case SIGNED_IN -> new DomainEvent.SignedIn(at, r.getString(), r.getString(), r.getString(), r.getString(),
                        r.getStringSet(), r.getString());
                case SIGNED_OUT -> new DomainEvent.SignedOut(at, r.getString(), r.getString(), r.getString(),
                        r.getInstant());
            };
            if (!r.atEnd()) {
                throw new JournalFormatException(type + " record has trailing bytes");
            }
            return e;
        } catch (BrokerException invalid) {
            throw new JournalFormatException(type + " record holds an invalid value: " + invalid.getMessage());
        }
    }
}
