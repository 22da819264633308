package imaging

import "image"

// Renditions are computed in displayed space (the orientation applied) but scaled from the stored
// pixels: the crop window is mapped back to stored coordinates, scaled there, and only the small
// result is turned. Turning the decoded original first would copy every one of its pixels.

// toStored maps a point of the displayed image to the stored one; sw, sh is the stored size.
func toStored(orientation int, dx, dy, sw, sh float64) (x, y float64) {
	switch orientation {
	case 2:
		return sw - dx, dy
	case 3:
		return sw - dx, sh - dy
	case 4:
		return dx, sh - dy
	case 5:
		return dy, dx
	case 6:
		return dy, sh - dx
	case 7:
		return sw - dy, sh - dx
	case 8:
		return sw - dy, dx
	}
	return dx, dy
}

// storedWindow maps a window of the displayed image to the stored image of size sw×sh.
func storedWindow(orientation int, w window, sw, sh int) window {
	ax, ay := toStored(orientation, w.x0, w.y0, float64(sw), float64(sh))
	bx, by := toStored(orientation, w.x0+w.w, w.y0+w.h, float64(sw), float64(sh))
	return window{x0: min(ax, bx), y0: min(ay, by), w: abs(bx - ax), h: abs(by - ay)}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// orient turns an image scaled in stored orientation into the displayed one.
func orient(orientation int, m *image.RGBA) *image.RGBA {
	if orientation < 2 || orientation > 8 {
		return m
	}
	sw, sh := m.Bounds().Dx(), m.Bounds().Dy()
	dw, dh := sw, sh
	if swapsAxes(orientation) {
		dw, dh = sh, sw
	}
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := range dh {
		for x := range dw {
			// pixel centres: the continuous mapping of (x+0.5, y+0.5), floored
			fx, fy := toStored(orientation, float64(x)+0.5, float64(y)+0.5, float64(sw), float64(sh))
			s := m.PixOffset(int(fx), int(fy))
			d := out.PixOffset(x, y)
			copy(out.Pix[d:d+4], m.Pix[s:s+4])
		}
	}
	return out
}
