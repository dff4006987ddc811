"""Recordings: QA lists, reads and plays redacted ones of its campaigns; ingest drops new
ones; compliance reads their processing records; admin erases."""

from __future__ import annotations

import re
import tempfile
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from api.media import peaks, report_intervals, transcript_segments
from api.routers import aware_time
from api.schemas import (
    ID_PATTERN,
    EventOut,
    RecordingList,
    RecordingOut,
    TranscriptOut,
    UploadOut,
    WaveformOut,
)
from policies.roles import Action
from redactor.errors import NotFoundError

__all__ = ["router", "recording_out", "load_view"]

router = APIRouter(prefix="/api/v1/recordings", tags=["recordings"])
RecordingId = Annotated[str, Path(pattern=ID_PATTERN, max_length=64)]
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_AUDIO_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg"}


def _gate(request: Request):
    return request.app.state.gate


def _services(request: Request):
    return request.app.state.services


def recording_out(rec) -> RecordingOut:
    return RecordingOut(
        id=rec.id,
        campaign=rec.campaign,
        call_id=rec.call_id,
        agent_id=rec.agent_id,
        direction=rec.direction,
        started_at=rec.started_at,
        language=rec.language,
        state=rec.state,
        received_at=rec.received_at,
        retain_until=rec.retain_until,
        redaction_summary=rec.redaction_summary,
        artifacts=sorted({o.kind for o in rec.objects if o.deleted_at is None and o.kind != "raw"}),
    )


@router.get("", response_model=RecordingList, summary="List redacted recordings of my campaigns")
async def list_recordings(
    request: Request,
    campaign: Annotated[str | None, Query(max_length=200)] = None,
    agent_id: Annotated[str | None, Query(max_length=200)] = None,
    started_from: datetime | None = None,
    started_before: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=100000)] = 0,
):
    gate = _gate(request)
    filters = {k: v for k, v in dict(campaign=campaign, agent_id=agent_id).items() if v}
    caller = await gate.require(
        request, Action.RECORDING_LIST, target="recordings", detail=f"filters={filters}"
    )
    recs = _services(request).recordings.search(
        caller.principal.campaigns,
        campaign=campaign,
        agent_id=agent_id,
        started_from=aware_time(started_from, "started_from"),
        started_before=aware_time(started_before, "started_before"),
        limit=limit,
        offset=offset,
    )
    return RecordingList(items=[recording_out(r) for r in recs], limit=limit, offset=offset)


@router.get("/{recording_id}", response_model=RecordingOut, summary="Metadata of one recording")
async def get_recording(request: Request, recording_id: RecordingId):
    gate = _gate(request)
    caller = await gate.require(request, Action.RECORDING_VIEW)
    rec = gate.require_recording(request, caller, Action.RECORDING_VIEW, recording_id)
    return recording_out(rec)


def load_view(services, rec) -> tuple[list[dict], list[dict]]:
    """(transcript segments, redacted intervals) of a recording; missing parts are empty."""
    src = services.recordings
    try:
        segments = transcript_segments(src.read(rec, "transcript"))
    except NotFoundError:
        segments = []
    try:
        intervals = report_intervals(src.read(rec, "report"))
    except NotFoundError:
        intervals = []
    return segments, intervals


@router.get(
    "/{recording_id}/transcript",
    response_model=TranscriptOut,
    summary="Redacted transcript and redacted intervals",
)
async def get_transcript(request: Request, recording_id: RecordingId):
    gate = _gate(request)
    caller = await gate.require(request, Action.TRANSCRIPT_VIEW)
    rec = gate.require_recording(request, caller, Action.TRANSCRIPT_VIEW, recording_id)
    segments, intervals = load_view(_services(request), rec)
    return TranscriptOut(recording_id=rec.id, segments=segments, intervals=intervals)


@router.get(
    "/{recording_id}/waveform",
    response_model=WaveformOut,
    summary="Waveform peaks of the redacted audio",
)
async def get_waveform(
    request: Request,
    recording_id: RecordingId,
    buckets: Annotated[int, Query(ge=10, le=4000)] = 1000,
):
    gate = _gate(request)
    caller = await gate.require(request, Action.AUDIO_PLAY)
    rec = gate.require_recording(
        request, caller, Action.AUDIO_PLAY, recording_id, detail="waveform"
    )
    services = _services(request)
    from redactor.audio import load

    try:
        obj, cm = services.recordings.reader(rec, "audio")
    except NotFoundError:
        raise HTTPException(404, "this recording has no redacted audio") from None
    with tempfile.NamedTemporaryFile(suffix=_suffix(obj)) as tmp, cm as stream:
        while chunk := stream.read(1 << 20):
            tmp.write(chunk)
        tmp.flush()
        audio = load(tmp.name)
    data = peaks(audio.samples, audio.sample_rate, buckets)
    _, intervals = load_view(services, rec)
    return WaveformOut(recording_id=rec.id, intervals=intervals, **data)


def _suffix(obj) -> str:
    ct = (getattr(obj, "content_type", None) or "").lower()
    for ext, mime in _AUDIO_TYPES.items():
        if ct == mime or ct.endswith("/" + ext):
            return "." + ext
    return ".wav"


async def _audio(request: Request, recording_id: str, action: Action, attachment: bool):
    gate = _gate(request)
    caller = await gate.require(request, action)
    rec = gate.require_recording(request, caller, action, recording_id)
    try:
        obj, cm = _services(request).recordings.reader(rec, "audio")
    except NotFoundError:
        raise HTTPException(404, "this recording has no redacted audio") from None
    ext = _suffix(obj)
    media = _AUDIO_TYPES.get(ext[1:], "application/octet-stream")
    stream = cm.__enter__()  # header, key and shredding are checked before the 200

    def body():
        try:
            while chunk := stream.read(256 * 1024):
                yield chunk
        finally:
            cm.__exit__(None, None, None)

    disposition = "attachment" if attachment else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{rec.id}-redacted{ext}"'}
    return StreamingResponse(body(), media_type=media, headers=headers)


@router.get(
    "/{recording_id}/audio",
    summary="Play the redacted audio",
    response_class=StreamingResponse,
    responses={200: {"content": {"audio/wav": {}}}},
)
async def play_audio(request: Request, recording_id: RecordingId):
    return await _audio(request, recording_id, Action.AUDIO_PLAY, attachment=False)


@router.get(
    "/{recording_id}/download",
    summary="Download the redacted audio",
    response_class=StreamingResponse,
    responses={200: {"content": {"audio/wav": {}}}},
)
async def download_audio(request: Request, recording_id: RecordingId):
    return await _audio(request, recording_id, Action.AUDIO_DOWNLOAD, attachment=True)


@router.get(
    "/{recording_id}/history",
    response_model=list[EventOut],
    summary="Processing records of one recording",
)
async def get_history(request: Request, recording_id: RecordingId):
    gate = _gate(request)
    caller = await gate.require(request, Action.PROCESSING_READ, target=f"recording:{recording_id}")
    del caller
    try:
        events = _services(request).recordings.history(recording_id)
    except NotFoundError:
        raise HTTPException(404, "no such recording") from None
    return [
        EventOut(
            at=e.at,
            from_state=e.from_state,
            to_state=e.to_state,
            action=e.action,
            actor=e.actor,
            detail=e.detail,
        )
        for e in events
    ]


@router.post("", response_model=UploadOut, status_code=201, summary="Drop a new recording (ingest)")
async def upload_recording(request: Request, audio: UploadFile, sidecar: UploadFile | None = None):
    """Store the audio (and its JSON sidecar) in the inbox bucket; the ingest watcher takes
    it from there. The file name is reduced to safe characters and prefixed with a random id,
    so it cannot climb out of the inbox prefix."""
    gate = _gate(request)
    caller = await gate.require(request, Action.RECORDING_UPLOAD, target="inbox")
    services = _services(request)
    if services.inbox is None:
        raise HTTPException(503, "no inbox configured")
    raw = (audio.filename or "call.wav").replace("\\", "/").rsplit("/", 1)[-1]
    name = _SAFE_NAME.sub("_", raw).lstrip(".") or "call.wav"
    key = f"incoming/{uuid.uuid4().hex[:12]}-{name[:100]}"
    side = await sidecar.read(64 * 1024 + 1) if sidecar is not None else None
    if side is not None and len(side) > 64 * 1024:
        raise HTTPException(413, "sidecar larger than 64 KiB")
    result = services.inbox(key, audio.file, side)
    gate.log(
        request,
        caller.principal,
        Action.RECORDING_UPLOAD,
        "allowed",
        target=f"inbox:{key}",
        detail=f"{result.size} bytes",
    )
    return UploadOut(bucket=result.bucket, key=result.key, size=result.size)
