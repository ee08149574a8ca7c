"""S2 cell ids: the position of a cube face's (i, j) leaf cell along the Hilbert curve (the face
and (i, j) of a point come from `spikelite.geo`). A real node indexes a GeoJSON Point under its
leaf cell and sends that id as the BVAL of a geo index query's record."""

from __future__ import annotations

_LOOKUP_BITS = 4
_SWAP, _INVERT = 1, 2
_POS_TO_IJ = ((0, 1, 3, 2), (0, 2, 3, 1), (3, 2, 0, 1), (3, 1, 0, 2))
_POS_TO_ORIENTATION = (_SWAP, 0, 0, _INVERT | _SWAP)


def _lookup_table() -> list[int]:
    table = [0] * (1 << (2 * _LOOKUP_BITS + 2))

    def fill(level: int, i: int, j: int, start: int, pos: int, orientation: int) -> None:
        if level == _LOOKUP_BITS:
            table[(((i << _LOOKUP_BITS) + j) << 2) + start] = (pos << 2) + orientation
            return
        order = _POS_TO_IJ[orientation]
        for index in range(4):
            fill(level + 1, (i << 1) + (order[index] >> 1), (j << 1) + (order[index] & 1), start,
                 (pos << 2) + index, orientation ^ _POS_TO_ORIENTATION[index])

    for orientation in range(4):
        fill(0, 0, 0, orientation, 0, orientation)
    return table


_LOOKUP_POS = _lookup_table()


def from_face_ij(face: int, i: int, j: int) -> int:
    """The unsigned 64-bit id of the level-30 cell (i, j) of a cube face."""
    n = face << 60
    bits = face & _SWAP
    mask = (1 << _LOOKUP_BITS) - 1
    for k in range(7, -1, -1):
        bits += ((i >> (k * _LOOKUP_BITS)) & mask) << (_LOOKUP_BITS + 2)
        bits += ((j >> (k * _LOOKUP_BITS)) & mask) << 2
        bits = _LOOKUP_POS[bits]
        n |= (bits >> 2) << (k * 2 * _LOOKUP_BITS)
        bits &= _SWAP | _INVERT
    return (n << 1) + 1
